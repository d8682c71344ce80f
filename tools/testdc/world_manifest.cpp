// The JSON manifest (README "Test DC"): accounts, bots, DCs, conditions, and the chats with their
// messages, built with world_edit.hpp so they look exactly like messages posted later. Chats come
// first (their own messages, then their topics), discussion copies and comments last, once every
// chat exists to be linked.
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "world.hpp"
#include "world_edit.hpp"
#include "world_internal.hpp"

namespace testdc {
namespace {

using json = nlohmann::json;
using detail::digits_only;
using detail::manifest_error;

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
  // "hostile": ["msg-id-past", "gzip-bomb", ...] (hostility.hpp).
  if (j.contains("hostile") && !j["hostile"].is_null()) {
    if (!j["hostile"].is_array()) return manifest_error("conditions.hostile must be a list of names");
    for (const json& name : j["hostile"]) {
      auto h = name.is_string() ? hostility_from_name(name.get<std::string>()) : std::nullopt;
      if (!h) return manifest_error("unknown conditions.hostile entry " + name.dump() + " (known: " + hostility_names() + ")");
      c.hostile.insert(*h);
    }
  }

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
  // "hostile_file": ["long-answer", ...] (hostile_files.hpp)
  for (const auto& name : j.value("hostile_file", std::vector<std::string>{})) {
    auto h = hostile_file_from_name(name);
    if (!h) return manifest_error("unknown conditions.hostile_file: " + name);
    c.hostile_files.insert(*h);
  }
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

// Everything the chats' loader keeps between messages.
struct Loader {
  World& w;
  const std::filesystem::path& base_dir;
  std::map<std::string, Document> keyed;  // "key" -> the document, for {"same_as": key}
  std::set<std::int64_t> doc_ids;

  mtp::Result<Document> document(const json& j) {
    if (j.contains("same_as")) {
      auto it = keyed.find(j["same_as"].get<std::string>());
      if (it == keyed.end()) return manifest_error("same_as '" + j["same_as"].get<std::string>() + "': no document with that key before it");
      return it->second;
    }
    Document d;
    if (j.contains("generate")) {
      const json& g = j["generate"];
      d.size = g.at("size").get<std::int64_t>();
      d.generated_seed = g.value("seed", std::uint64_t{1});
      if (d.size < 0) return manifest_error("generate.size must not be negative");
    } else {
      d.path = j.at("file").get<std::string>();
      if (d.path.is_relative()) d.path = base_dir / d.path;
      std::error_code ec;
      auto size = std::filesystem::file_size(d.path, ec);
      if (ec) return manifest_error("document file " + d.path.string() + ": " + ec.message());
      d.size = static_cast<std::int64_t>(size);
      d.file_name = d.path.filename().string();  // a stored file keeps its name unless told otherwise
    }
    d.dc = j.value("dc", 2);
    if (!w.has_dc(d.dc)) return manifest_error("document DC not among dcs");
    d.mime_type = j.value("mime_type", d.mime_type);
    if (j.contains("file_name")) {
      // Any bytes JSON can carry (NUL, control characters, "../", 300-byte names): served as given.
      if (j["file_name"].is_null()) d.file_name.reset();
      else d.file_name = j["file_name"].get<std::string>();
    }
    if (j.contains("video")) {
      const json& v = j["video"];
      d.video = VideoInfo{v.value("duration", 0.0), v.value("w", 0), v.value("h", 0), v.value("supports_streaming", true)};
    }
    return d;
  }

  std::int64_t sender(const json& m) {
    if (!m.contains("from")) return 0;
    const Account* a = w.find_account_by_phone(m["from"].get<std::string>());
    return a ? a->user_id : -1;
  }

  // One message of `chat` (by index: adding to another chat may move it), in `topic` when set.
  mtp::Result<int> message(std::size_t chat, const json& m, int topic) {
    NewMessage msg;
    msg.id = m.value("id", 0);
    msg.text = m.value("text", "");
    if (m.contains("grouped_id")) msg.grouped_id = m["grouped_id"].get<std::int64_t>();
    msg.from_user = sender(m);
    if (msg.from_user < 0) return manifest_error("message from an unknown account " + m["from"].dump());
    msg.reply_to = m.value("reply_to", 0);
    msg.topic = topic;
    if (m.contains("document")) {
      auto doc = document(m["document"]);
      if (!doc) return std::move(doc).error();
      msg.document = std::move(*doc);
    }
    const bool new_document = msg.document && msg.document->id == 0;
    auto id = add_message(w, w.channels[chat], std::move(msg));
    if (!id) return id;
    if (new_document) {
      const Document& d = *w.channels[chat].messages.back().document;
      if (!doc_ids.insert(d.id).second) return manifest_error("document id collision");
      if (m["document"].contains("key") && !keyed.emplace(m["document"]["key"].get<std::string>(), d).second) {
        return manifest_error("two documents with the key " + m["document"]["key"].dump());
      }
    }
    return id;
  }

  mtp::Result<std::int64_t> chat_ref(const json& ref) {
    const Channel* c = ref.is_string() ? w.find_channel_by_username(ref.get<std::string>())
                                       : w.find_channel_by_id(ref.get<std::int64_t>());
    if (c == nullptr) return manifest_error("linked_chat " + ref.dump() + ": no such chat");
    return c->id;
  }
};

// The chats: each with its own messages and topics first, then the links between channels and their
// discussion groups, then every linked post's copy and its comments.
mtp::Result<bool> load_chats(Loader& load, const json& chats) {
  World& w = load.w;
  std::int64_t next_channel = 1'000'000'001;
  struct Link { std::size_t chat; json ref; };
  std::vector<Link> links;
  std::map<std::pair<std::size_t, int>, json> comments;  // (chat, post id) -> its comments
  for (const json& c : chats) {
    Channel ch;
    ch.id = c.value("id", next_channel++);
    if (w.find_channel_by_id(ch.id)) return manifest_error("two chats with id " + std::to_string(ch.id));
    ch.access_hash = detail::access_hash_for(w.conditions.seed, ch.id, 0xc4);
    ch.title = c.value("title", "Channel");
    if (c.contains("username")) {
      ch.username = c["username"].get<std::string>();
      if (!is_valid_username(*ch.username)) return manifest_error("invalid channel username '" + *ch.username + "'");
    }
    ch.forum = c.value("forum", false);
    ch.megagroup = ch.forum || c.value("megagroup", false);
    for (const json& p : c.value("members", json::array())) ch.member_phones.push_back(digits_only(p.get<std::string>()));
    const std::size_t index = w.channels.size();
    w.channels.push_back(std::move(ch));
    for (const json& m : c.value("messages", json::array())) {
      auto id = load.message(index, m, 0);
      if (!id) return std::move(id).error();
      if (m.contains("comments")) comments[{index, *id}] = m["comments"];
    }
    for (const json& t : c.value("topics", json::array())) {
      auto topic = add_topic(w, w.channels[index], t.at("title").get<std::string>(), t.value("icon_color", 0x6FB9F0));
      if (!topic) return std::move(topic).error();
      for (const json& m : t.value("messages", json::array())) {
        auto id = load.message(index, m, *topic);
        if (!id) return std::move(id).error();
      }
    }
    if (c.contains("linked_chat")) links.push_back({index, c["linked_chat"]});
  }

  for (const Link& link : links) {
    auto group_id = load.chat_ref(link.ref);
    if (!group_id) return std::move(group_id).error();
    Channel& channel = w.channels[link.chat];
    Channel& group = *w.find_channel_by_id(*group_id);
    if (channel.megagroup || !group.megagroup || group.forum || group.linked_chat != 0) {
      return manifest_error("linked_chat: a broadcast channel links one group (not a forum) that no other links");
    }
    channel.linked_chat = group.id;
    group.linked_chat = channel.id;
  }
  for (std::size_t i = 0; i < w.channels.size(); ++i) {
    if (w.channels[i].linked_chat == 0 || w.channels[i].megagroup) continue;
    const std::int64_t group_id = w.channels[i].linked_chat;
    std::vector<int> posts;
    for (const Message& m : w.channels[i].messages) posts.push_back(m.id);
    for (int post : posts) {
      auto copy = copy_to_discussion(w, w.channels[i], post);
      if (!copy) return std::move(copy).error();
      auto it = comments.find({i, post});
      if (it == comments.end()) continue;
      const std::size_t group = static_cast<std::size_t>(w.find_channel_by_id(group_id) - w.channels.data());
      for (json comment : it->second) {
        comment["reply_to"] = *copy;  // a comment answers the post's copy
        auto id = load.message(group, comment, 0);
        if (!id) return std::move(id).error();
      }
      comments.erase(it);
    }
  }
  if (!comments.empty()) return manifest_error("comments on a post of a channel without linked_chat");
  return true;
}

}  // namespace

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
      a.access_hash = detail::access_hash_for(seed, a.user_id, 0x75);
    }

    Loader load{w, base_dir, {}, {}};
    auto chats = load_chats(load, j.value("channels", json::array()));
    if (!chats) return std::move(chats).error();
    return w;
  } catch (const json::exception& e) {
    return manifest_error(e.what());
  }
}

}  // namespace testdc
