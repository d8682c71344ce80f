#include "world.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace testdc {
namespace {

using json = nlohmann::json;
using mtp::Error;

Error manifest_error(std::string detail) {
  return Error::local(mtp::kErrInvalidArgument, "MANIFEST_INVALID", std::move(detail));
}

// splitmix64: a fixed, seedable mix so ids and access hashes are the same on every run.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::int64_t access_hash_for(std::uint64_t seed, std::int64_t id, std::uint64_t salt) {
  return static_cast<std::int64_t>(mix(seed ^ mix(static_cast<std::uint64_t>(id) ^ salt)));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string digits_only(const std::string& phone) {
  std::string out;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

constexpr std::int64_t kBaseDate = 1'700'000'000;  // fixed message dates keep runs reproducible

mtp::Result<Conditions> parse_conditions(const json& j) {
  Conditions c;
  c.seed = j.value("seed", c.seed);
  c.bandwidth_per_connection = j.value("bandwidth_per_connection", c.bandwidth_per_connection);
  c.bandwidth_per_account = j.value("bandwidth_per_account", c.bandwidth_per_account);
  c.latency_ms = j.value("latency_ms", c.latency_ms);
  c.flood_requests_per_second = j.value("flood_requests_per_second", c.flood_requests_per_second);
  c.flood_wait_seconds = j.value("flood_wait_seconds", c.flood_wait_seconds);
  c.premium_parallel_limit = j.value("premium_parallel_limit", c.premium_parallel_limit);
  c.reset_every_bytes = j.value("reset_every_bytes", c.reset_every_bytes);
  c.rpc_error_500_rate = j.value("rpc_error_500_rate", c.rpc_error_500_rate);
  c.out_of_order = j.value("out_of_order", c.out_of_order);
  c.file_reference_lifetime_s = j.value("file_reference_lifetime_s", c.file_reference_lifetime_s);
  c.clock_offset_s = j.value("clock_offset_s", c.clock_offset_s);
  c.force_bad_salt = j.value("force_bad_salt", c.force_bad_salt);
  c.strict = j.value("strict", c.strict);
  const std::string fault = j.value("handshake_fault", std::string(mtp::auth::handshake_fault_name(c.handshake_fault)));
  auto parsed_fault = mtp::auth::handshake_fault_from_name(fault);
  if (!parsed_fault) return manifest_error(std::string("unknown conditions.handshake_fault: ").append(fault));
  c.handshake_fault = *parsed_fault;

  c.stall_after_bytes = j.value("stall_after_bytes", c.stall_after_bytes);
  c.stall_connections = j.value("stall_connections", c.stall_connections);
  for (auto [key, range] : {std::pair{"corrupt_range", &c.corrupt_range}, std::pair{"corrupt_hashes", &c.corrupt_hashes}}) {
    if (!j.contains(key) || j[key].is_null()) continue;
    auto parsed = parse_byte_range(j[key].get<std::string>());
    if (!parsed) return manifest_error(std::string("conditions.").append(key).append(": ").append(parsed.error().detail));
    *range = *parsed;
  }
  c.corrupt_times = j.value("corrupt_times", c.corrupt_times);
  c.premium_rate_limit = j.value("premium_rate_limit", c.premium_rate_limit);
  c.premium_rate_window_ms = j.value("premium_rate_window_ms", c.premium_rate_window_ms);
  c.premium_wait_seconds = j.value("premium_wait_seconds", c.premium_wait_seconds);
  // Negative counts would read as "unlimited" or never trigger: say so instead of guessing.
  if (c.stall_after_bytes < 0 || c.stall_connections < 0 || c.corrupt_times < 0 || c.premium_rate_limit < 0) {
    return manifest_error("conditions: stall_*, corrupt_times and premium_rate_limit must not be negative");
  }
  if (c.premium_rate_window_ms < 1 || c.premium_wait_seconds < 1) {
    return manifest_error("conditions: premium_rate_window_ms and premium_wait_seconds must be at least 1");
  }
  return c;
}

mtp::Result<Account> parse_account(const json& j, std::int64_t user_id, bool bot) {
  Account a;
  a.user_id = j.value("id", user_id);
  a.home_dc = j.value("home_dc", 2);
  a.premium = j.value("premium", false);
  a.first_name = j.value("first_name", bot ? "Test Bot" : "Test User");
  a.last_name = j.value("last_name", "");
  a.username = j.value("username", "");
  if (bot) {
    a.bot_token = j.at("token").get<std::string>();
  } else {
    a.phone = digits_only(j.at("phone").get<std::string>());
    a.code = j.value("code", "12345");
    if (j.contains("password") && !j["password"].is_null()) a.password = j["password"].get<std::string>();
    if (a.phone.empty()) return manifest_error("account without a phone number");
  }
  if (!a.username.empty() && !is_valid_username(a.username)) {
    return manifest_error("invalid username '" + a.username + "'");
  }
  return a;
}

mtp::Result<Document> parse_document(const json& j, const std::filesystem::path& base_dir) {
  Document d;
  d.path = j.at("file").get<std::string>();
  if (d.path.is_relative()) d.path = base_dir / d.path;
  std::error_code ec;
  auto size = std::filesystem::file_size(d.path, ec);
  if (ec) return manifest_error("document file " + d.path.string() + ": " + ec.message());
  d.size = static_cast<std::int64_t>(size);
  d.dc = j.value("dc", 2);
  d.mime_type = j.value("mime_type", d.mime_type);
  d.file_name = j.value("file_name", d.path.filename().string());
  if (j.contains("video")) {
    const json& v = j["video"];
    d.video = VideoInfo{v.value("duration", 0.0), v.value("w", 0), v.value("h", 0), v.value("supports_streaming", true)};
  }
  return d;
}

}  // namespace

mtp::Result<ByteRange> parse_byte_range(const std::string& text) {
  auto bad = [&] {
    return Error::local(mtp::kErrInvalidArgument, "RANGE_INVALID", "'" + text + "' is not OFFSET:LENGTH (LENGTH >= 1)");
  };
  const auto colon = text.find(':');
  if (colon == std::string::npos) return bad();
  ByteRange r;
  const char* end = text.data() + text.size();
  auto first = std::from_chars(text.data(), text.data() + colon, r.offset);
  auto second = std::from_chars(text.data() + colon + 1, end, r.length);
  if (first.ec != std::errc{} || first.ptr != text.data() + colon || second.ec != std::errc{} || second.ptr != end) {
    return bad();
  }
  // The end must be representable, or every overlap test downstream would overflow.
  if (r.offset < 0 || r.length < 1 || r.offset > std::numeric_limits<std::int64_t>::max() - r.length) return bad();
  return r;
}

bool is_valid_username(const std::string& u) {
  if (u.size() < 5 || u.size() > 32) return false;
  if (!std::isalpha(static_cast<unsigned char>(u[0]))) return false;
  return std::all_of(u.begin(), u.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

const Message* Channel::find_message(int msg_id) const {
  auto it = std::lower_bound(messages.begin(), messages.end(), msg_id,
                             [](const Message& m, int v) { return m.id < v; });
  return it != messages.end() && it->id == msg_id ? &*it : nullptr;
}

const Account* World::find_account_by_phone(const std::string& phone) const {
  std::string want = digits_only(phone);
  for (const auto& a : accounts) {
    if (!a.bot_token && a.phone == want) return &a;
  }
  return nullptr;
}

const Account* World::find_account_by_id(std::int64_t user_id) const {
  for (const auto& a : accounts) {
    if (a.user_id == user_id) return &a;
  }
  return nullptr;
}

const Account* World::find_bot(const std::string& token) const {
  for (const auto& a : accounts) {
    if (a.bot_token && *a.bot_token == token) return &a;
  }
  return nullptr;
}

const Channel* World::find_channel_by_username(const std::string& username) const {
  std::string want = lower(username);
  for (const auto& c : channels) {
    if (c.username && lower(*c.username) == want) return &c;
  }
  return nullptr;
}

const Channel* World::find_channel_by_id(std::int64_t id) const {
  for (const auto& c : channels) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const Document* World::find_document(std::int64_t id) const {
  for (const auto& c : channels) {
    for (const auto& m : c.messages) {
      if (m.document && m.document->id == id) return &*m.document;
    }
  }
  return nullptr;
}

bool World::has_dc(int id) const {
  return std::any_of(dcs.begin(), dcs.end(), [id](const DcSpec& d) { return d.id == id; });
}

mtp::Result<World> load_manifest(const std::string& json_text, const std::filesystem::path& base_dir) {
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (j.is_discarded() || !j.is_object()) return manifest_error("not a JSON object");
  try {
    World w;
    auto conditions = parse_conditions(j.value("conditions", json::object()));
    if (!conditions) return std::move(conditions).error();
    w.conditions = *conditions;
    const std::uint64_t seed = w.conditions.seed;
    w.home_dc = j.value("home_dc", 2);
    w.api_id = j.value("api_id", w.api_id);
    w.api_hash = j.value("api_hash", w.api_hash);

    for (const json& d : j.value("dcs", json::array({{{"id", 1}}, {{"id", 2}, {"media", true}}, {{"id", 4}}}))) {
      DcSpec spec;
      spec.id = d.at("id").get<int>();
      spec.port = d.value("port", 0);
      if (d.value("media", false) || d.contains("media_port")) spec.media_port = d.value("media_port", 0);
      if (spec.id < 1 || spec.id > 5 || w.has_dc(spec.id)) return manifest_error("bad or duplicate DC id");
      w.dcs.push_back(spec);
    }
    if (!w.has_dc(w.home_dc)) return manifest_error("home_dc is not among dcs");

    std::int64_t next_user = 1'000'001;
    for (const json& a : j.value("accounts", json::array())) {
      auto acc = parse_account(a, next_user++, false);
      if (!acc) return std::move(acc).error();
      w.accounts.push_back(std::move(*acc));
    }
    for (const json& b : j.value("bots", json::array())) {
      auto bot = parse_account(b, next_user++, true);
      if (!bot) return std::move(bot).error();
      w.accounts.push_back(std::move(*bot));
    }
    for (auto& a : w.accounts) {
      if (!w.has_dc(a.home_dc)) return manifest_error("account home_dc not among dcs");
      a.access_hash = access_hash_for(seed, a.user_id, 0x75);
    }

    std::int64_t next_channel = 1'000'000'001;
    std::set<std::int64_t> used_doc_ids;
    for (const json& c : j.value("channels", json::array())) {
      Channel ch;
      ch.id = c.value("id", next_channel++);
      ch.access_hash = access_hash_for(seed, ch.id, 0xc4);
      ch.title = c.value("title", "Channel");
      if (c.contains("username")) {
        ch.username = c["username"].get<std::string>();
        if (!is_valid_username(*ch.username)) return manifest_error("invalid channel username '" + *ch.username + "'");
      }
      for (const json& p : c.value("members", json::array())) ch.member_phones.push_back(digits_only(p.get<std::string>()));
      int next_msg = 1;
      for (const json& m : c.value("messages", json::array())) {
        Message msg;
        msg.id = m.value("id", next_msg);
        next_msg = msg.id + 1;
        msg.text = m.value("text", "");
        msg.date = kBaseDate + msg.id;
        if (m.contains("grouped_id")) msg.grouped_id = m["grouped_id"].get<std::int64_t>();
        if (m.contains("document")) {
          auto doc = parse_document(m["document"], base_dir);
          if (!doc) return std::move(doc).error();
          if (!w.has_dc(doc->dc)) return manifest_error("document DC not among dcs");
          doc->id = static_cast<std::int64_t>(mix(seed ^ mix(static_cast<std::uint64_t>(ch.id) * 1'000'003 + msg.id)) >> 2);
          if (!used_doc_ids.insert(doc->id).second) return manifest_error("document id collision");
          doc->access_hash = access_hash_for(seed, doc->id, 0xd0);
          doc->date = msg.date;
          msg.document = std::move(*doc);
        }
        ch.messages.push_back(std::move(msg));
      }
      std::sort(ch.messages.begin(), ch.messages.end(), [](const Message& a, const Message& b) { return a.id < b.id; });
      for (std::size_t i = 1; i < ch.messages.size(); ++i) {
        if (ch.messages[i].id == ch.messages[i - 1].id) return manifest_error("duplicate message id in " + ch.title);
      }
      w.channels.push_back(std::move(ch));
    }
    return w;
  } catch (const json::exception& e) {
    return manifest_error(e.what());
  }
}

mtp::Result<World> load_manifest_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return manifest_error("cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return load_manifest(text.str(), path.parent_path());
}

mtp::Result<World> world_from_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (ec) return manifest_error("cannot list " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());

  json messages = json::array();
  for (const auto& f : files) {
    messages.push_back({{"document", {{"file", std::filesystem::absolute(f).string()}, {"dc", 2}}}});
  }
  json manifest = {
      {"accounts", json::array({{{"phone", "15550000001"}, {"code", "12345"}, {"first_name", "Demo"}, {"username", "tgdemo_user"}}})},
      {"channels", json::array({{{"username", "tgdemo"}, {"title", "tgget demo"}, {"messages", messages}}})},
  };
  return load_manifest(manifest.dump(), dir);
}

}  // namespace testdc
