"""One module per torch.optim class: its defaults, validation and update rule."""
