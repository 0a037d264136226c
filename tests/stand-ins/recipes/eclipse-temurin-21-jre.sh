# eclipse-temurin:21-jre — contract and differences: see _temurin.sh (`java`, no `javac`/`jar`).
# Stand-in: Debian trixie's openjdk-21-jre-headless (bookworm has no OpenJDK 21).
source "$(dirname "${BASH_SOURCE[0]}")/_temurin.sh"
tags=(eclipse-temurin:21-jre eclipse-temurin:21-jre-noble)
suite=trixie
packages=(openjdk-21-jre-headless "${temurin_packages[@]}")
changes=("${temurin_changes[@]}")
customize() {
  temurin_common "$1" 21
  temurin_assert_jre "$1"
  temurin_assert_no_jdk "$1"
}
