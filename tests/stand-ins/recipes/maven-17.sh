# maven:3.9-eclipse-temurin-17 — contract and differences: see _temurin.sh (the JDK's, then
# Maven's). Stand-in: Debian bookworm's openjdk-17-jdk-headless and Maven, offline. Bookworm's
# Maven is 3.8.7, not 3.9 (it also prints stray ESC[0m resets on stdout, even with -B -q), and
# its plugins are older than trixie's: a pom pinned to trixie's plugin versions (like
# tests/fixtures/e2e/java-maven) does not build here; one that pins none does.
source "$(dirname "${BASH_SOURCE[0]}")/_temurin.sh"
tags=(maven:3.9-eclipse-temurin-17 maven:3-eclipse-temurin-17 maven:3.9-eclipse-temurin-17-noble)
suite=bookworm
packages=(openjdk-17-jdk-headless "${temurin_packages[@]}" "${maven_packages[@]}")
changes=("${temurin_changes[@]}" "${maven_changes[@]}")
# Maven 3.8.7's default that bookworm's repository lacks (site is bound by default): relocated to
# Debian's 3.12.1. The super POM's dependency 2.8 is relocated by Debian itself.
maven_relocations=([maven-site-plugin]=3.3)
customize() {
  temurin_common "$1" 17
  maven_offline "$1"
  temurin_assert_jdk "$1"
}
