#include "control_commands.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>

#include "world_edit.hpp"

namespace testdc {
namespace {

std::string error(const std::string& what) { return "error " + what; }

Channel* find_chat(World& world, std::string_view ref) {
  if (!ref.empty() && ref.front() == '@') ref.remove_prefix(1);
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (ec == std::errc{} && end == ref.data() + ref.size()) return world.find_channel_by_id(id);
  const Channel* c = world.find_channel_by_username(std::string(ref));
  return c ? world.find_channel_by_id(c->id) : nullptr;
}

template <class T>
bool parse_number(const std::string& text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

std::string post(World& world, Channel& chat, const std::map<std::string, std::string>& args, std::int64_t now_s) {
  static const char* const kKeys[] = {"text", "size", "seed", "name", "mime", "dc", "grouped_id", "reply_to", "topic", "from"};
  for (const auto& [key, value] : args) {
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) return error("unknown key " + key);
  }
  auto get = [&](const char* key) -> const std::string* {
    auto it = args.find(key);
    return it == args.end() ? nullptr : &it->second;
  };
  NewMessage m;
  m.date = now_s;
  if (const auto* text = get("text")) m.text = *text;
  if (const auto* g = get("grouped_id")) {
    std::int64_t v = 0;
    if (!parse_number(*g, v)) return error("grouped_id is not a number");
    m.grouped_id = v;
  }
  if (const auto* r = get("reply_to"); r && !parse_number(*r, m.reply_to)) return error("reply_to is not a number");
  if (const auto* t = get("topic"); t && !parse_number(*t, m.topic)) return error("topic is not a number");
  if (const auto* from = get("from")) {
    const Account* a = world.find_account_by_phone(*from);
    if (a == nullptr) return error("no account " + *from);
    m.from_user = a->user_id;
  }
  if (const auto* size = get("size")) {
    Document d;
    std::uint64_t seed = 1;
    if (!parse_number(*size, d.size) || d.size < 0) return error("size is not a byte count");
    if (const auto* s = get("seed"); s && !parse_number(*s, seed)) return error("seed is not a number");
    d.generated_seed = seed;
    if (const auto* dc = get("dc"); dc && !parse_number(*dc, d.dc)) return error("dc is not a number");
    if (!world.has_dc(d.dc)) return error("no DC " + std::to_string(d.dc));
    if (const auto* mime = get("mime")) d.mime_type = *mime;
    if (const auto* name = get("name")) d.file_name = *name;
    m.document = std::move(d);
  } else if (get("seed") || get("name") || get("mime") || get("dc")) {
    return error("seed, name, mime and dc describe a document: give its size=");
  }
  auto id = add_message(world, chat, std::move(m));
  if (!id) return error(id.error().detail);
  const Message& added = chat.messages.back();
  std::string out = "ok id=" + std::to_string(*id) + " date=" + std::to_string(added.date);
  if (added.document) {
    out += " document_id=" + std::to_string(added.document->id) + " access_hash=" + std::to_string(added.document->access_hash);
  }
  if (!chat.megagroup && chat.linked_chat != 0) {
    auto copy = copy_to_discussion(world, chat, *id, now_s);
    if (!copy) return error(copy.error().detail);
    out += " copy=" + std::to_string(*copy);
  }
  return out;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size()) return std::nullopt;
    auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (ec != std::errc{} || end != text.data() + i + 3) return std::nullopt;
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

std::string run_control_command(World& world, std::string_view line, std::int64_t now_s) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::istringstream in{std::string(line)};
  std::string command, chat_ref, word;
  in >> command;
  if (command == "ping") return "ok";
  if (command != "post") return command.empty() ? error("empty line") : error("unknown command " + command);
  if (!(in >> chat_ref)) return error("post needs a chat");
  Channel* chat = find_chat(world, chat_ref);
  if (chat == nullptr) return error("no chat " + chat_ref);
  std::map<std::string, std::string> args;
  while (in >> word) {
    const auto eq = word.find('=');
    if (eq == std::string::npos) return error("not key=value: " + word);
    auto value = percent_decode(std::string_view(word).substr(eq + 1));
    if (!value) return error("bad %-escape in " + word);
    args[word.substr(0, eq)] = std::move(*value);
  }
  return post(world, *chat, args, now_s);
}

}  // namespace testdc
