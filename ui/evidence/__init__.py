"""Evidence in the UI: import (files, drag and drop, camera folders) off the GUI thread, cached thumbnails,
the gallery, and previews with photo view and audio/video players."""
