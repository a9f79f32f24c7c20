"""The 检查 (field recording) area: today's and open inspections, the inspection form with its merged
checklist, autosave that never loses a keystroke, signatures, finalisation and follow-ups."""
