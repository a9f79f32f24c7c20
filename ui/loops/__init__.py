"""UI of the reform loops: intervention, check-in, complaint reply and grid tier dialogs, and the task card."""
