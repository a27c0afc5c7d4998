// replaced by the GUI issue
