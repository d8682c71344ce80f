#include "dc/dc_address.hpp"

#include <algorithm>
#include <sstream>

namespace mtp::dc {

DcDirectory DcDirectory::production() {
  DcDirectory d;
  struct Entry {
    int dc;
    const char* v4;
    const char* v6;
  };
  static constexpr Entry kDcs[] = {
      {1, "149.154.175.50", "2001:b28:f23d:f001::a"}, {2, "149.154.167.51", "2001:67c:4e8:f002::a"},
      {3, "149.154.175.100", "2001:b28:f23d:f003::a"}, {4, "149.154.167.91", "2001:67c:4e8:f004::a"},
      {5, "149.154.171.5", "2001:b28:f23f:f005::a"}};
  for (const auto& e : kDcs) {
    d.addresses_.push_back(DcAddress{e.dc, e.v4, 443, false, false, false, false, {}});
    d.addresses_.push_back(DcAddress{e.dc, e.v6, 443, true, false, false, false, {}});
  }
  return d;
}

DcDirectory DcDirectory::single(int dc, std::string host, std::uint16_t port) {
  DcDirectory d;
  const bool v6 = host.find(':') != std::string::npos;
  d.pin(DcAddress{dc, std::move(host), port, v6, false, false, false, {}});
  return d;
}

void DcDirectory::pin(DcAddress address) {
  address.media_only = address.cdn = address.tcpo_only = false;
  std::erase_if(pinned_, [&](const DcAddress& a) { return a.dc == address.dc; });
  pinned_.push_back(std::move(address));
  apply_pins();
}

void DcDirectory::apply_pins() {
  for (const auto& p : pinned_) {
    std::erase_if(addresses_, [&](const DcAddress& a) { return a.dc == p.dc && !a.media_only; });
    addresses_.insert(addresses_.begin(), p);
  }
}

void DcDirectory::replace(std::vector<DcAddress> addresses) {
  std::erase_if(addresses, [](const DcAddress& a) { return a.cdn || a.host.empty() || a.port == 0; });
  if (addresses.empty()) return;
  addresses_ = std::move(addresses);
  apply_pins();
}

std::optional<DcAddress> DcDirectory::pick(int dc, Purpose purpose, bool prefer_ipv6) const {
  // Score each candidate; the server's order breaks ties (it lists preferred addresses first).
  const DcAddress* best = nullptr;
  int best_score = -1;
  for (const auto& a : addresses_) {
    if (a.dc != dc) continue;
    if (a.tcpo_only) continue;  // needs the address's own secret: not used yet
    int score = 0;
    if (a.ipv6 == prefer_ipv6) score += 2;
    if (purpose == Purpose::kMedia && a.media_only) score += 4;
    if (purpose == Purpose::kMain && a.media_only) continue;  // media addresses refuse API calls
    if (score > best_score) {
      best = &a;
      best_score = score;
    }
  }
  if (!best) return std::nullopt;
  return *best;
}

bool DcDirectory::knows(int dc) const { return pick(dc, Purpose::kMain).has_value(); }

std::string DcDirectory::serialize() const {
  std::ostringstream out;
  for (const auto& a : addresses_) {
    if (std::find(pinned_.begin(), pinned_.end(), a) != pinned_.end()) continue;
    out << a.dc << '\t' << a.host << '\t' << a.port << '\t' << int(a.ipv6) << int(a.media_only) << int(a.cdn)
        << int(a.tcpo_only) << '\t' << to_hex(a.secret) << '\n';
  }
  return out.str();
}

std::optional<DcDirectory> DcDirectory::deserialize(const std::string& text) {
  DcDirectory d;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    DcAddress a;
    std::string flags, secret;
    int port = 0;
    if (!(fields >> a.dc >> a.host >> port >> flags) || flags.size() != 4 || port <= 0 || port > 65535) {
      return std::nullopt;
    }
    fields >> secret;  // optional
    a.port = static_cast<std::uint16_t>(port);
    a.ipv6 = flags[0] == '1';
    a.media_only = flags[1] == '1';
    a.cdn = flags[2] == '1';
    a.tcpo_only = flags[3] == '1';
    if (!secret.empty()) {
      if (secret.size() % 2 != 0 || secret.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
        return std::nullopt;
      }
      a.secret = from_hex(secret);
    }
    d.addresses_.push_back(std::move(a));
  }
  if (d.addresses_.empty()) return std::nullopt;
  return d;
}

}  // namespace mtp::dc
