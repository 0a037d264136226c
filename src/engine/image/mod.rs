//! Images: building (BuildKit or the legacy builder) from a build context sent as Docker's CLI
//! sends it, pulling, and the layer-by-layer size analysis behind `devbox size`.

pub mod build;
pub mod build_context;
pub mod build_stream;
pub mod build_syntax;
pub mod context_report;
pub mod digest;
pub mod images;
pub mod platforms;
pub mod session;
pub mod size;
