//! The file-watching edge (notify).
