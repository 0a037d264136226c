# eclipse-temurin:17-jre — contract and differences: see _temurin.sh (`java`, no `javac`/`jar`).
# Stand-in: Debian bookworm's openjdk-17-jre-headless (trixie has no OpenJDK 17).
source "$(dirname "${BASH_SOURCE[0]}")/_temurin.sh"
tags=(eclipse-temurin:17-jre eclipse-temurin:17-jre-noble)
suite=bookworm
packages=(openjdk-17-jre-headless "${temurin_packages[@]}")
changes=("${temurin_changes[@]}")
customize() {
  temurin_common "$1" 17
  temurin_assert_jre "$1"
  temurin_assert_no_jdk "$1"
}
