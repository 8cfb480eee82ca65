"""Good practice: the network's inventory of what is done for newcomers."""
