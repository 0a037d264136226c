//! The observed stack: services, health, sizes, stats samples.
