#pragma once
// Where each DC can be reached. Starts from Telegram's built-in production addresses (or a single
// test server address), then takes the authoritative list from help.getConfig's dc_options
// (cached in the account's store with its expiry). File traffic prefers media-only addresses.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"

namespace mtp::dc {

struct DcAddress {
  int dc = 0;
  std::string host;  // IPv4 or IPv6 literal
  std::uint16_t port = 443;
  bool ipv6 = false;
  bool media_only = false;
  bool cdn = false;
  bool tcpo_only = false;  // reachable only through obfuscated transports
  Bytes secret;            // MTProxy-style secret for tcpo_only addresses

  bool operator==(const DcAddress&) const = default;
};

enum class Purpose { kMain, kMedia };

class DcDirectory {
 public:
  // Telegram's production DCs 1..5, IPv4 and IPv6, port 443 (FACTS §5).
  static DcDirectory production();
  // One known address (a test server): everything else comes from help.getConfig. The address is
  // pinned (see pin()).
  static DcDirectory single(int dc, std::string host, std::uint16_t port);

  // An address the user gave (TGGET_SERVER): it wins over what was learned. Every main address of
  // its DC is dropped, now and after each replace(); media-only addresses the server lists stay.
  // serialize() leaves it out: the store keeps only what the server said.
  void pin(DcAddress address);

  // Replaces every address with the server's list, pins kept (CDN DCs are dropped: they need their own keys
  // and protocol, which file downloads from CDN DCs will bring).
  void replace(std::vector<DcAddress> addresses);

  // The best address for `dc`: for kMedia a media-only one if any, else a main one; IPv6 only
  // when asked for and present. nullopt when the DC is unknown.
  std::optional<DcAddress> pick(int dc, Purpose purpose, bool prefer_ipv6 = false) const;
  bool knows(int dc) const;
  const std::vector<DcAddress>& all() const { return addresses_; }

  // Round trip through the account store (one address per line, fields tab-separated).
  std::string serialize() const;
  static std::optional<DcDirectory> deserialize(const std::string& text);

 private:
  void apply_pins();

  std::vector<DcAddress> addresses_;
  std::vector<DcAddress> pinned_;
};

}  // namespace mtp::dc
