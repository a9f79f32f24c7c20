"""案件 area: case list, case view with clocks and the next legal step, step dialogs, 立案."""
