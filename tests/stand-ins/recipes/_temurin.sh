# Sourced by the eclipse-temurin-* and maven-* recipes (not a recipe itself).
#
# eclipse-temurin:<ver>-{jdk,jre} — contract of the official images (Ubuntu 24.04 based):
# JAVA_HOME=/opt/java/openjdk, with $JAVA_HOME/bin first on PATH: `java` (the JDK also `javac`,
# `jar`, `jshell`; the JRE has no `javac`); user `ubuntu` 1000:1000 (Ubuntu's, so a Dockerfile that
# runs `useradd --uid 1000` fails on the real image); sh (dash), bash, useradd/groupadd, apt-get;
# ca-certificates, tzdata; the JDK's CMD is ["jshell"], the JRE has none.
# Differences of every stand-in here:
#   - Debian instead of Ubuntu, and Debian's headless OpenJDK (no AWT/fonts) instead of Temurin's
#     build: /opt/java/openjdk is a link to /usr/lib/jvm/java-<ver>-openjdk-<arch>. JDK 21 comes
#     from trixie (bookworm has no openjdk-21), JDK 17 from bookworm (trixie has no openjdk-17).
#   - LANG=C.UTF-8 (the official images set LANG/LC_ALL en_US.UTF-8 and LANGUAGE en_US:en with
#     the `locales` package; Java's default charset is UTF-8 either way).
#   - no curl and no wget, which the official images have (for historical reasons): generated
#     Dockerfiles must not rely on them; their health checks copy BusyBox's static wget.
#   - no ENTRYPOINT (the official /__cacert_entrypoint.sh only execs its arguments unless
#     USE_SYSTEM_CA_CERTS is set); Java's keystore is Debian's ca-certificates-java.

temurin_packages=(ca-certificates tzdata)
temurin_changes=("${ca_env[@]}" 'ENV JAVA_HOME=/opt/java/openjdk'
  'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'ENV LANG=C.UTF-8')

# temurin_common ROOT VERSION: /opt/java/openjdk and Ubuntu's `ubuntu` user.
temurin_common() {
  local root=$1 version=$2 arch jvm
  arch=$(chroot "$root" dpkg --print-architecture)
  jvm=usr/lib/jvm/java-$version-openjdk-$arch
  [ -x "$root/$jvm/bin/java" ] || { echo "stand-ins: no /$jvm/bin/java" >&2; return 1; }
  mkdir -p "$root/opt/java"
  # Relative, so assert_present (which runs on the host) resolves it inside the image.
  ln -sfn "../../$jvm" "$root/opt/java/openjdk"
  chroot "$root" groupadd --gid 1000 ubuntu
  chroot "$root" useradd --uid 1000 --gid ubuntu --shell /bin/bash --create-home \
    --comment Ubuntu ubuntu
}

temurin_assert_jre() {
  local root=$1
  assert_present "$root" /opt/java/openjdk/bin/java /usr/bin/java /bin/sh /bin/bash \
    /usr/sbin/useradd /usr/sbin/groupadd /etc/ssl/certs/ca-certificates.crt
  assert_absent "$root" wget curl
}
temurin_assert_jdk() {
  local root=$1
  temurin_assert_jre "$root"
  assert_present "$root" /opt/java/openjdk/bin/javac /opt/java/openjdk/bin/jar \
    /opt/java/openjdk/bin/jshell
}
temurin_assert_no_jdk() {
  local root=$1 tool
  assert_absent "$root" javac jar jshell
  for tool in javac jar jshell; do
    if [ -e "$root/opt/java/openjdk/bin/$tool" ]; then
      echo "stand-ins: $tool must be absent but is in /opt/java/openjdk/bin" >&2
      return 1
    fi
  done
}

# maven:3.9-eclipse-temurin-<ver> — contract of the official images: eclipse-temurin:<ver>-jdk
# (above) plus Maven in MAVEN_HOME=/usr/share/maven, `mvn` on PATH (/usr/bin/mvn), the local
# repository in ${user.home}/.m2 (so `--mount=type=cache,target=/root/.m2` caches it for root);
# MAVEN_CONFIG=/root/.m2 (only informational to Maven 3.8+); CMD ["mvn"]. Any user can run it
# given a writable user.home: -Duser.home in MAVEN_OPTS, or, for a uid without a passwd entry, a
# writable HOME on JDK 21 (its user.home falls back to HOME; JDK 17 says "?" and Maven writes
# ./?/.m2), as on the official images.
# Differences (besides the JDK's, above): Debian's Maven package; no git, no curl; no
# mvn-entrypoint.sh (the official one copies /usr/share/maven/ref, empty but for a
# settings-docker.xml, into /root/.m2, then unsets MAVEN_CONFIG and execs its arguments); and no
# network: the global settings (/etc/maven/settings.xml) mirror every repository (`*`) to
# Debian's local repository file:///usr/share/maven-repo, which holds only the packaged plugins
# and libraries below: the plugins a jar build binds (clean, resources, compiler, surefire, jar,
# install, deploy, site) and the dependency plugin, at Debian's versions. Debian's Maven asks for
# those by default, or Debian relocates what it asks for; the rest is relocated here (each
# recipe's maven_relocations). So a pom without dependencies builds here whether it pins no
# plugin version or pins the ones Debian has (tests/fixtures/e2e/java-maven); a dependency or a
# plugin version that Debian's repository lacks is not found.
maven_packages=(maven libmaven-clean-plugin-java libmaven-resources-plugin-java
  libmaven-compiler-plugin-java libsurefire-java libmaven-jar-plugin-java
  libmaven-install-plugin-java libmaven-deploy-plugin-java libmaven-site-plugin-java
  libmaven-dependency-plugin-java)
maven_changes=('ENV MAVEN_HOME=/usr/share/maven' 'ENV MAVEN_CONFIG=/root/.m2' 'CMD ["mvn"]')
declare -A maven_relocations=()

# maven_relocate ROOT ARTIFACT VERSION: a relocation POM from org.apache.maven.plugins:ARTIFACT:
# VERSION to the newest version of it that Debian's repository holds a jar of.
maven_relocate() {
  local root=$1 artifact=$2 version=$3 dir target v
  dir=$root/usr/share/maven-repo/org/apache/maven/plugins/$artifact
  [ -e "$dir/$version" ] && return 0
  target=$(for v in "$dir"/*/; do
    v=$(basename "$v")
    if [ -e "$dir/$v/$artifact-$v.jar" ] || [ -L "$dir/$v/$artifact-$v.jar" ]; then echo "$v"; fi
  done | { grep -vx debian || true; } | sort -V | tail -n 1)
  [ -n "$target" ] || { echo "stand-ins: Debian's repository has no $artifact jar" >&2; return 1; }
  mkdir -p "$dir/$version"
  cat >"$dir/$version/$artifact-$version.pom" <<POM
<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.apache.maven.plugins</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <packaging>jar</packaging>
  <!-- devbox stand-in: Debian has $artifact $target only -->
  <distributionManagement>
    <relocation>
      <groupId>org.apache.maven.plugins</groupId>
      <artifactId>$artifact</artifactId>
      <version>$target</version>
    </relocation>
  </distributionManagement>
</project>
POM
}

maven_offline() {
  local root=$1
  # /usr/share/maven/conf/settings.xml is Debian's link to this file.
  cat >"$root/etc/maven/settings.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<!-- devbox stand-in for maven:3.9-eclipse-temurin-*: no Maven repository is reachable on the test
     machines, so every repository is mirrored by Debian's local one, which holds the packaged
     plugins and libraries (at Debian's versions). -->
<settings xmlns="http://maven.apache.org/SETTINGS/1.2.0"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://maven.apache.org/SETTINGS/1.2.0
                              https://maven.apache.org/xsd/settings-1.2.0.xsd">
  <mirrors>
    <mirror>
      <id>debian</id>
      <name>Debian's Maven repository (offline)</name>
      <url>file:///usr/share/maven-repo</url>
      <mirrorOf>*</mirrorOf>
    </mirror>
  </mirrors>
  <!-- Debian's repository has no checksum files: the mirror keeps the policies of the repositories
       it stands for, and these make Maven skip the checks instead of warning on every file. -->
  <profiles>
    <profile>
      <id>debian-repo</id>
      <repositories>
        <repository>
          <id>central</id>
          <url>https://repo.maven.apache.org/maven2</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository>
          <id>central</id>
          <url>https://repo.maven.apache.org/maven2</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles>
    <activeProfile>debian-repo</activeProfile>
  </activeProfiles>
</settings>
XML
  chmod 644 "$root/etc/maven/settings.xml"
  # Debian's Maven asks for the lifecycle plugins at versions its repository has or relocates
  # (surefire 2.17 -> 2.22.3, ...), but not for all of them: `dependency:go-offline` resolves every
  # plugin bound to the clean, default and site lifecycles, and the `dependency:` prefix is looked
  # up at the version the super POM manages. Relocation POMs like Debian's own send those to the
  # versions Debian has, so a pom that pins no plugin builds here too (recipes list them).
  local artifact version
  for artifact in "${!maven_relocations[@]}"; do
    for version in ${maven_relocations[$artifact]}; do
      maven_relocate "$root" "$artifact" "$version"
    done
  done
  assert_present "$root" /usr/bin/mvn /usr/share/maven/bin/mvn /usr/share/maven/conf/settings.xml \
    /usr/share/maven-repo/org/apache/maven/plugins/maven-compiler-plugin \
    /usr/share/maven-repo/org/apache/maven/plugins/maven-resources-plugin \
    /usr/share/maven-repo/org/apache/maven/plugins/maven-surefire-plugin \
    /usr/share/maven-repo/org/apache/maven/plugins/maven-jar-plugin \
    /usr/share/maven-repo/org/apache/maven/plugins/maven-install-plugin \
    /usr/share/maven-repo/org/apache/maven/plugins/maven-dependency-plugin
  assert_absent "$root" git
}
