# eclipse-temurin:17-jdk (also :17) — contract and differences: see _temurin.sh. Stand-in: Debian
# bookworm's openjdk-17-jdk-headless (trixie has no OpenJDK 17).
source "$(dirname "${BASH_SOURCE[0]}")/_temurin.sh"
tags=(eclipse-temurin:17-jdk eclipse-temurin:17 eclipse-temurin:17-jdk-noble
      eclipse-temurin:17-noble)
suite=bookworm
packages=(openjdk-17-jdk-headless "${temurin_packages[@]}")
changes=("${temurin_changes[@]}" 'CMD ["jshell"]')
customize() {
  temurin_common "$1" 17
  temurin_assert_jdk "$1"
}
