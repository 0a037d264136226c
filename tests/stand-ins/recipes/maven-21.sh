# maven:3.9-eclipse-temurin-21 — contract and differences: see _temurin.sh (the JDK's, then
# Maven's). Stand-in: Debian trixie's openjdk-21-jdk-headless and Maven (3.9), offline.
source "$(dirname "${BASH_SOURCE[0]}")/_temurin.sh"
tags=(maven:3.9-eclipse-temurin-21 maven:3-eclipse-temurin-21 maven:3.9.9-eclipse-temurin-21
      maven:3.9-eclipse-temurin-21-noble)
suite=trixie
packages=(openjdk-21-jdk-headless "${temurin_packages[@]}" "${maven_packages[@]}")
changes=("${temurin_changes[@]}" "${maven_changes[@]}")
# Maven 3.9.9's defaults that trixie's repository lacks (deploy and site are bound by default, the
# super POM manages dependency 3.7.0): relocated to Debian's 3.1.4, 3.21.0 and 3.8.1.
maven_relocations=([maven-deploy-plugin]=3.1.2 [maven-site-plugin]=3.12.1
  [maven-dependency-plugin]=3.7.0)
customize() {
  temurin_common "$1" 21
  maven_offline "$1"
  temurin_assert_jdk "$1"
}
