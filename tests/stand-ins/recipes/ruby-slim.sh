# ruby:<ver>-slim — contract of the official images (Debian based): ruby, irb, gem, bundle (Bundler
# as a default gem) at /usr/local/bin; Ruby's C headers (native gems compile once a Dockerfile
# installs a compiler); GEM_HOME=/usr/local/bundle (mode 1777), BUNDLE_APP_CONFIG=$GEM_HOME,
# BUNDLE_SILENCE_ROOT_WARNING=1, $GEM_HOME/bin first on PATH; LANG C.UTF-8; no user besides root,
# useradd/groupadd and apt-get; no wget, no curl, no compilers; CMD ["irb"].
# Stand-in: Debian trixie's Ruby 3.3 and Bundler under every tag. rubygems.org is not reachable
# here, so Debian's gem packages (rack, rackup, puma, nio4r, sinatra, webrick…) are installed as
# system gems Bundler resolves against: a Gemfile.lock of exactly their versions installs offline
# (tests/fixtures/e2e/ruby-rack), anything else fails as a download would. The official image has
# none of these gems.
tags=(ruby:3.3-slim ruby:3.4-slim ruby:3.2-slim ruby:3-slim ruby:slim ruby:3.3-slim-bookworm
  ruby:3.3-slim-trixie)
suite=trixie
packages=(ruby ruby-dev bundler ca-certificates puma ruby-rack ruby-rackup ruby-sinatra
  ruby-webrick)
changes=("${ca_env[@]}" 'ENV LANG=C.UTF-8' 'ENV GEM_HOME=/usr/local/bundle'
  'ENV BUNDLE_SILENCE_ROOT_WARNING=1' 'ENV BUNDLE_APP_CONFIG=/usr/local/bundle'
  'ENV PATH=/usr/local/bundle/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  'CMD ["irb"]')
customize() {
  local root=$1 tool
  for tool in ruby irb gem bundle bundler; do
    ln -sf "/usr/bin/$tool" "$root/usr/local/bin/$tool"
  done
  mkdir -p "$root/usr/local/bundle/bin"
  chmod 1777 "$root/usr/local/bundle"
  assert_absent "$root" wget curl gcc cc make
  assert_present "$root" /usr/local/bin/ruby /usr/local/bin/bundle /usr/sbin/useradd
  # Bundler sees Debian's gems as installed with the image's GEM_HOME.
  chroot "$root" env GEM_HOME=/usr/local/bundle ruby -e 'require "rack"; require "puma"' \
    || { echo "stand-ins: Debian's gems are not visible with GEM_HOME set" >&2; return 1; }
}
