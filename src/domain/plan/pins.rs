//! Pinned tool and image versions (never `latest`); each becomes an `ARG` default in the
//! generated Dockerfile or an image tag in the generated compose file.

pub const UV_VERSION: &str = "0.13.9";
pub const POETRY_VERSION: &str = "2.1.1";
pub const POETRY_EXPORT_VERSION: &str = "1.9.0";
pub const BUSYBOX_VERSION: &str = "1.37.0";
pub const NGINX_VERSION: &str = "1.27";
pub const CADDY_VERSION: &str = "2.9";
pub const BUN_VERSION: &str = "1.2";
pub const DEBIAN_RELEASE: &str = "bookworm";
pub const POSTGRES_IMAGE: &str = "postgres:16.6-alpine";
pub const REDIS_IMAGE: &str = "redis:7.4.2-alpine";
pub const MYSQL_IMAGE: &str = "mysql:8.4.3";
/// Servers installed for a production command the project's dependencies lack.
pub const GUNICORN_VERSION: &str = "23.0.0";
pub const UVICORN_VERSION: &str = "0.34.0";
/// Build images for Java projects without a wrapper (`maven:3.9-eclipse-temurin-21`).
pub const MAVEN_IMAGE_VERSION: &str = "3.9";
pub const GRADLE_IMAGE_VERSION: &str = "8.14";
/// The Composer image of the PHP leaf's vendor stages.
pub const COMPOSER_VERSION: &str = "2.8";
