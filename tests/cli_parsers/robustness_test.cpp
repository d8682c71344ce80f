// Every parser on many pseudo-random inputs built from the characters that matter to it (a fixed
// seed, so a failure repeats): nothing crashes, and the invariants hold: a parsed link's canonical
// form parses back to it, a rendered name is always a safe relative path, a sanitised component
// is a non-empty name of at most 255 bytes.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "cli/link.hpp"
#include "cli/link_list.hpp"
#include "cli/name_template.hpp"
#include "cli/safe_path.hpp"
#include "cli/units.hpp"

using namespace tgget::cli;

namespace {

class RandomText {
 public:
  explicit RandomText(std::string alphabet) : alphabet_(std::move(alphabet)) {}
  std::string next(std::size_t max_length) {
    std::string s(std::uniform_int_distribution<std::size_t>(0, max_length)(rng_), '\0');
    for (char& c : s) c = alphabet_[std::uniform_int_distribution<std::size_t>(0, alphabet_.size() - 1)(rng_)];
    return s;
  }

 private:
  std::string alphabet_;
  std::mt19937 rng_{20260612};
};

}  // namespace

// Links put together from real pieces, then sometimes spoilt by one random character.
TEST_CASE("random links never crash and canonical forms parse back") {
  std::mt19937 rng(20260612);
  const auto pick = [&](const std::vector<std::string>& options) {
    return options[std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(rng)];
  };
  const std::vector<std::string> schemes = {"", "https://", "http://", "HTTPS://www.", "tg://", "@"};
  const std::vector<std::string> chats = {"t.me/durov", "telegram.me/s/durov", "durov.t.me", "t.me/c/1234567890",
                                          "t.me/joinchat", "t.me/+abc", "resolve?domain=durov", "privatepost?channel=5"};
  const std::vector<std::string> paths = {"", "/", "/42", "/0", "/5/42", "/10-25", "/25-10", "/100-", "/2147483648",
                                          "/1/2/3", "/x"};
  const std::vector<std::string> queries = {"", "?single", "?thread=7", "?comment=9&single", "&post=42", "?t=5",
                                            "&thread=3", "?foo", "#frag", " x"};
  const std::string noise = std::string("/?&=#-+.@_ \t\x01\xff") + '\0';
  std::size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s = pick(schemes) + pick(chats) + pick(paths) + pick(queries) + pick(queries);
    if (!s.empty() && rng() % 3 == 0) {
      s[std::uniform_int_distribution<std::size_t>(0, s.size() - 1)(rng)] = noise[rng() % noise.size()];
    }
    const auto link = parse_link(s);
    if (!link) continue;
    ++accepted;
    INFO(s);
    const auto again = parse_link(link->to_string());
    REQUIRE(again.ok());
    CHECK(*again == *link);
  }
  CHECK(accepted > 500);  // the pieces do reach valid links, not only errors
}

TEST_CASE("random names from Telegram always render to a safe relative path") {
  RandomText value(std::string("./\\.. x_\x01\x1f\x7f\xc2\x85\xe2\x80\xae\xff\xf0\x9f\x8e\xac") + '\0');
  const auto tmpl = NameTemplate::parse("{chat}/{chat_title}/{caption:20}/{album}_{filename}.{ext}");
  REQUIRE(tmpl.ok());
  for (int i = 0; i < 5000; ++i) {
    NameFields f;
    f.chat_username = value.next(8);
    f.chat_title = value.next(300);
    f.caption = value.next(50);
    f.file_name = value.next(600);
    f.mime_type = value.next(10);
    const auto path = tmpl->render(f);
    REQUIRE(path.ok());
    CHECK(check_relative_path(*path).ok());
    const std::string component = sanitize_component(f.file_name);
    CHECK_FALSE(component.empty());
    CHECK(component.size() <= kMaxComponentBytes);
    CHECK(component.front() != '.');  // never a hidden file
  }
}

TEST_CASE("random templates, list files and option values never crash") {
  RandomText tmpl_text("{}:%Ydatecaption:40id/..filename\x01");
  RandomText list_text("t.me/durov/1\n\r\t #out=x/..\xef\xbb\xbf");
  RandomText unit_text("0123456789.kKmMgGiIbB/sSThdZ:-+ ,video,audio");
  for (int i = 0; i < 5000; ++i) {
    const auto tmpl = NameTemplate::parse(tmpl_text.next(30));
    if (tmpl) CHECK(tmpl->render(NameFields{}).ok());
    const auto list = parse_link_list(list_text.next(200));
    for (const auto& item : list.items) {
      if (item.out) CHECK(check_relative_path(*item.out).ok());
    }
    const std::string u = unit_text.next(24);
    (void)parse_size(u), (void)parse_rate(u), (void)parse_moment(u), (void)parse_duration(u),
        (void)parse_media_types(u);
  }
}
