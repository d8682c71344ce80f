#include "cli/link.hpp"

#include <array>
#include <vector>

#include <fmt/format.h>

#include "cli/link_numbers.hpp"
#include "cli/quoted.hpp"
#include "cli/username.hpp"

namespace tgget::cli {

namespace {

constexpr std::string_view kExpected = "expected t.me/USER/ID, t.me/c/CHANNEL/ID, t.me/USER or @USER";

mtp::Error problem(std::string why) { return mtp::Error::local(mtp::kErrInvalidArgument, "LINK_INVALID", std::move(why)); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool strip_prefix_ignoring_case(std::string_view& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (lower(s[i]) != prefix[i]) return false;
  }
  s.remove_prefix(prefix.size());
  return true;
}

bool equals_ignoring_case(std::string_view s, std::string_view lower_case) {
  return s.size() == lower_case.size() && strip_prefix_ignoring_case(s, lower_case);
}

bool is_space_or_control(char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; }

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto at = s.find(separator);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

mtp::Result<std::string> checked_username(std::string_view name) {
  if (const auto kind = reserved_link_kind(name)) return problem(fmt::format("{}, not a message", *kind));
  if (const auto why = username_problem(name)) {
    return problem(fmt::format("{} is not a username: {}", quoted(name), *why));
  }
  return std::string(name);
}

// The path forms of t.me links, one row each: a literal first segment ("c", "s") or none, then
// what the following segments hold.
enum class Piece { kUser, kChannel, kTopic, kSelection };
struct PathForm {
  std::string_view literal;  // empty: the first segment is already a piece
  std::array<Piece, 3> pieces;
  std::size_t piece_count;
};
constexpr std::array<PathForm, 8> kPathForms{{
    {"c", {Piece::kChannel}, 1},
    {"c", {Piece::kChannel, Piece::kSelection}, 2},
    {"c", {Piece::kChannel, Piece::kTopic, Piece::kSelection}, 3},
    {"s", {Piece::kUser}, 1},
    {"s", {Piece::kUser, Piece::kSelection}, 2},
    {"", {Piece::kUser}, 1},
    {"", {Piece::kUser, Piece::kSelection}, 2},
    {"", {Piece::kUser, Piece::kTopic, Piece::kSelection}, 3},
}};

mtp::Status apply_piece(Piece piece, std::string_view segment, Link& link) {
  switch (piece) {
    case Piece::kUser: {
      auto name = checked_username(segment);
      if (!name) return std::move(name).error();
      link.chat.username = std::move(*name);
      return {};
    }
    case Piece::kChannel: {
      auto id = parse_channel_id(segment);
      if (!id) return std::move(id).error();
      link.chat.channel_id = *id;
      return {};
    }
    case Piece::kTopic: {
      auto id = parse_message_id(segment, "topic id");
      if (!id) return std::move(id).error();
      link.topic = *id;
      return {};
    }
    case Piece::kSelection: {
      auto selection = parse_selection(segment);
      if (!selection) return std::move(selection).error();
      link.messages = *selection;
      return {};
    }
  }
  return {};
}

mtp::Status apply_path(std::string_view path, Link& link) {
  if (path.ends_with('/')) path.remove_suffix(1);  // browsers and copy-paste add one
  if (path.empty()) return problem(fmt::format("no chat in the link ({})", kExpected));
  const std::vector<std::string_view> segments = split(path, '/');
  for (const auto segment : segments) {
    if (segment.empty()) return problem("an empty path segment (\"//\")");
  }
  if (const auto kind = reserved_link_kind(segments[0])) return problem(fmt::format("{}, not a message", *kind));
  const bool has_literal = equals_ignoring_case(segments[0], "c") || equals_ignoring_case(segments[0], "s");
  const std::string_view literal = has_literal ? segments[0] : std::string_view();
  const std::size_t piece_count = segments.size() - (has_literal ? 1 : 0);
  std::size_t most = 0;
  for (const PathForm& form : kPathForms) {
    if (!equals_ignoring_case(literal, form.literal)) continue;
    most = std::max(most, form.piece_count);
    if (form.piece_count != piece_count) continue;
    for (std::size_t i = 0; i < form.piece_count; ++i) {
      MTP_TRY(apply_piece(form.pieces[i], segments[i + (has_literal ? 1 : 0)], link));
    }
    return {};
  }
  if (piece_count == 0) return problem(fmt::format("t.me/{}/ needs a chat after it", literal));
  // Too many segments: name what follows the longest form.
  const std::size_t keep = most + (has_literal ? 1 : 0);
  std::size_t offset = 0;
  for (std::size_t i = 0; i < keep; ++i) offset += segments[i].size() + 1;
  return problem(fmt::format("unexpected {} after the message", quoted(path.substr(offset - 1))));
}

// The query: ?single, ?thread=N, ?comment=N and ?t=N on any link; domain=, channel= and post= only
// on tg:// links, where they carry the chat and the message.
struct Query {
  std::string_view domain, channel, post;
  bool has_domain = false, has_channel = false, has_post = false;
};

mtp::Status apply_query(std::string_view query, bool tg_link, Link& link, Query& tg) {
  bool seen_single = false, seen_t = false;
  for (const std::string_view item : split(query, '&')) {
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    const auto twice = [&](bool seen) { return seen ? problem(fmt::format("option {} given twice", quoted(key))) : mtp::Status(); };
    if (key == "single") {
      MTP_TRY(twice(seen_single));
      if (!value.empty()) return problem("?single takes no value");
      seen_single = link.single = true;
    } else if (key == "thread" || key == "comment") {
      auto& target = key == "thread" ? link.thread : link.comment;
      MTP_TRY(twice(target.has_value()));
      auto id = parse_message_id(value, key == "thread" ? "thread id" : "comment id");
      if (!id) return std::move(id).error();
      target = *id;
    } else if (key == "t") {  // a playback position: nothing to do with which file
      MTP_TRY(twice(seen_t));
      seen_t = true;
    } else if (tg_link && key == "domain") {
      MTP_TRY(twice(tg.has_domain));
      tg.domain = value, tg.has_domain = true;
    } else if (tg_link && key == "channel") {
      MTP_TRY(twice(tg.has_channel));
      tg.channel = value, tg.has_channel = true;
    } else if (tg_link && key == "post") {
      MTP_TRY(twice(tg.has_post));
      tg.post = value, tg.has_post = true;
    } else {
      return problem(fmt::format("unknown option {} (tgget knows ?single, ?thread=N, ?comment=N and ?t=N)",
                                 quoted(key)));
    }
  }
  return {};
}

// tg://resolve?domain=USER[&post=ID] and tg://privatepost?channel=CHANNEL&post=ID.
mtp::Status apply_tg(std::string_view verb, std::string_view query, Link& link) {
  Query tg;
  if (equals_ignoring_case(verb, "resolve")) {
    MTP_TRY(apply_query(query, true, link, tg));
    if (tg.has_channel) return problem("tg://resolve takes domain=, not channel=");
    if (!tg.has_domain) return problem("tg://resolve needs domain=USER");
    MTP_TRY(apply_piece(Piece::kUser, tg.domain, link));
  } else if (equals_ignoring_case(verb, "privatepost")) {
    MTP_TRY(apply_query(query, true, link, tg));
    if (tg.has_domain) return problem("tg://privatepost takes channel=, not domain=");
    if (!tg.has_channel) return problem("tg://privatepost needs channel=CHANNEL");
    if (!tg.has_post) return problem("tg://privatepost needs post=ID");
    MTP_TRY(apply_piece(Piece::kChannel, tg.channel, link));
  } else if (equals_ignoring_case(verb, "join")) {
    return problem("an invite link, not a message");
  } else if (const auto kind = reserved_link_kind(verb)) {
    return problem(fmt::format("{}, not a message", *kind));
  } else {
    return problem(fmt::format("not a message link: {} (expected tg://resolve or tg://privatepost)", quoted(verb)));
  }
  if (tg.has_post) {
    auto id = parse_message_id(tg.post, "message id");
    if (!id) return std::move(id).error();
    link.messages = {MessageSelection::Kind::kOne, *id, 0};
  }
  return {};
}

// https://t.me/..., t.me/..., USER.t.me/...: the host decides whether the path starts with a chat.
mtp::Status apply_web(std::string_view rest, Link& link) {
  if (!strip_prefix_ignoring_case(rest, "https://")) strip_prefix_ignoring_case(rest, "http://");
  if (rest.find("://") != std::string_view::npos) return problem(fmt::format("not a Telegram link ({})", kExpected));
  const auto query_at = rest.find('?');
  const std::string_view query = query_at == std::string_view::npos ? std::string_view() : rest.substr(query_at + 1);
  rest = rest.substr(0, query_at);
  const auto slash = rest.find('/');
  std::string_view host = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  strip_prefix_ignoring_case(host, "www.");
  Query unused;
  if (equals_ignoring_case(host, "t.me") || equals_ignoring_case(host, "telegram.me") ||
      equals_ignoring_case(host, "telegram.dog")) {
    MTP_TRY(apply_path(path, link));
  } else if (host.size() > 5 && equals_ignoring_case(host.substr(host.size() - 5), ".t.me")) {
    const std::string_view subdomain = host.substr(0, host.size() - 5);
    if (const auto kind = reserved_subdomain_kind(subdomain)) return problem(fmt::format("{}, not a message", *kind));
    MTP_TRY(apply_path(fmt::format("{}/{}", subdomain, path), link));  // USER.t.me/REST is t.me/USER/REST
  } else if (slash == std::string_view::npos && !host.empty() && username_problem(host) == std::nullopt) {
    return problem(fmt::format("a bare name; write @{} for the whole chat or t.me/{}/ID for a message", host, host));
  } else {
    return problem(fmt::format("not a t.me link ({})", kExpected));
  }
  return apply_query(query, false, link, unused);
}

mtp::Status check_options_fit(const Link& link) {
  if (link.messages.kind == MessageSelection::Kind::kOne) return {};
  if (link.single) return problem("?single needs one message, not a range or a whole chat");
  if (link.comment) return problem("?comment= needs one message (the post), not a range or a whole chat");
  return {};
}

}  // namespace

mtp::Result<Link> parse_link(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && is_space_or_control(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space_or_control(s.back())) s.remove_suffix(1);
  const auto fail = [&](mtp::Error e) {
    e.detail = fmt::format("{}: {}", quoted(text), e.detail);
    return e;
  };
  if (s.empty()) return fail(problem(fmt::format("an empty link ({})", kExpected)));
  if (const auto fragment = s.find('#'); fragment != std::string_view::npos) {
    s = s.substr(0, fragment);
    while (!s.empty() && is_space_or_control(s.back())) s.remove_suffix(1);  // "t.me/x/1  # a note"
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_space_or_control(s[i])) return fail(problem(fmt::format("unexpected {} after the link", quoted(s.substr(i)))));
  }
  Link link;
  mtp::Status status;
  if (s.starts_with('@')) {
    status = apply_piece(Piece::kUser, s.substr(1), link);
  } else if (std::string_view rest = s; strip_prefix_ignoring_case(rest, "tg:")) {
    strip_prefix_ignoring_case(rest, "//");
    const auto q = rest.find('?');
    status = apply_tg(rest.substr(0, q), q == std::string_view::npos ? std::string_view() : rest.substr(q + 1), link);
  } else {
    status = apply_web(s, link);
  }
  if (status) status = check_options_fit(link);
  if (!status) return fail(std::move(status).error());
  return link;
}

std::string Link::to_string() const {
  std::string out = chat.by_id() ? fmt::format("t.me/c/{}", chat.channel_id) : "t.me/" + chat.username;
  if (topic) out += fmt::format("/{}", *topic);
  switch (messages.kind) {
    case MessageSelection::Kind::kOne: out += fmt::format("/{}", messages.first); break;
    case MessageSelection::Kind::kRange: out += fmt::format("/{}-{}", messages.first, messages.last); break;
    case MessageSelection::Kind::kFrom: out += fmt::format("/{}-", messages.first); break;
    case MessageSelection::Kind::kWholeChat: break;
  }
  char separator = '?';
  const auto option = [&](const std::string& text) {
    out += separator;
    out += text;
    separator = '&';
  };
  if (single) option("single");
  if (thread) option(fmt::format("thread={}", *thread));
  if (comment) option(fmt::format("comment={}", *comment));
  return out;
}

}  // namespace tgget::cli
