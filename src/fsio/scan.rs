//! Project scan for detection (owner: wizard).
