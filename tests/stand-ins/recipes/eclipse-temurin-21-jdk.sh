# eclipse-temurin:21-jdk (also :21) — contract and differences: see _temurin.sh. Stand-in: Debian
# trixie's openjdk-21-jdk-headless (bookworm has no OpenJDK 21).
source "$(dirname "${BASH_SOURCE[0]}")/_temurin.sh"
tags=(eclipse-temurin:21-jdk eclipse-temurin:21 eclipse-temurin:21-jdk-noble
      eclipse-temurin:21-noble)
suite=trixie
packages=(openjdk-21-jdk-headless "${temurin_packages[@]}")
changes=("${temurin_changes[@]}" 'CMD ["jshell"]')
customize() {
  temurin_common "$1" 21
  temurin_assert_jdk "$1"
}
