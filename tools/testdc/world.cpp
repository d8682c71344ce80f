#include "world.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>

#include "world_internal.hpp"

namespace testdc {

using json = nlohmann::json;
using mtp::Error;

namespace detail {

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

}  // namespace detail

using detail::digits_only;
using detail::lower;
using detail::manifest_error;

void generated_bytes(std::uint64_t seed, std::int64_t offset, std::span<std::uint8_t> out) {
  const std::uint64_t base = detail::mix(seed);
  std::size_t i = 0;
  while (i < out.size()) {
    const auto pos = static_cast<std::uint64_t>(offset) + i;
    const std::uint64_t block = detail::mix(base + pos / 8);
    for (std::uint64_t k = pos % 8; k < 8 && i < out.size(); ++k, ++i) out[i] = static_cast<std::uint8_t>(block >> (8 * k));
  }
}

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

Message* Channel::find_message(int msg_id) {
  return const_cast<Message*>(std::as_const(*this).find_message(msg_id));
}

bool Channel::is_topic(int id) const {
  if (!forum) return false;
  if (id == 1) return true;  // General, whatever message 1 is
  const Message* m = find_message(id);
  return m != nullptr && m->topic_title.has_value();
}

std::vector<const Message*> Channel::thread_messages(int root) const {
  std::vector<const Message*> out;
  const bool general = forum && root == 1;
  for (const Message& m : messages) {
    if (general ? (m.thread == 0 && !m.topic_title) : (m.thread == root || (m.id == root && m.topic_title && forum))) out.push_back(&m);
  }
  return out;
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

Channel* World::find_channel_by_id(std::int64_t id) {
  return const_cast<Channel*>(std::as_const(*this).find_channel_by_id(id));
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
