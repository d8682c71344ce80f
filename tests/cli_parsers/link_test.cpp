// parse_link: every link form as a table (what it parses to and its canonical form), each
// rejection with the words of its message, and the canonical form parsing back to the same Link.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cli/link.hpp"

using tgget::cli::Link;
using tgget::cli::MessageSelection;
using tgget::cli::parse_link;
using Kind = MessageSelection::Kind;

namespace {

struct Accepted {
  std::string text;
  std::string canonical;  // Link::to_string()
};

// Canonical forms say everything a Link holds, so comparing them compares the parse.
const std::vector<Accepted> kAccepted = {
    {"t.me/durov/42", "t.me/durov/42"},
    {"https://t.me/durov/42", "t.me/durov/42"},
    {"http://t.me/durov/42", "t.me/durov/42"},
    {"HTTPS://T.ME/durov/42", "t.me/durov/42"},
    {"https://www.t.me/durov/42", "t.me/durov/42"},
    {"telegram.me/durov/42", "t.me/durov/42"},
    {"https://telegram.dog/durov/42", "t.me/durov/42"},
    {"t.me/s/durov/42", "t.me/durov/42"},
    {"durov.t.me/42", "t.me/durov/42"},
    {"https://durov.t.me/42/", "t.me/durov/42"},
    {"durov.t.me", "t.me/durov"},
    {"t.me/c/1234567890/42", "t.me/c/1234567890/42"},
    {"https://t.me/c/2623426951/3/17039", "t.me/c/2623426951/3/17039"},
    {"t.me/forum_chat/5/120", "t.me/forum_chat/5/120"},
    {"t.me/durov/42?single", "t.me/durov/42?single"},
    {"t.me/durov/42?thread=7", "t.me/durov/42?thread=7"},
    {"t.me/durov/42?comment=900", "t.me/durov/42?comment=900"},
    {"t.me/durov/42?comment=900&single&thread=7", "t.me/durov/42?single&thread=7&comment=900"},
    {"t.me/durov/42?t=95", "t.me/durov/42"},
    {"t.me/durov/42?", "t.me/durov/42"},
    {"t.me/durov/42#fragment", "t.me/durov/42"},
    {"t.me/durov/42/", "t.me/durov/42"},
    {"  t.me/durov/42 \r\n", "t.me/durov/42"},
    {"tg://resolve?domain=durov&post=42", "t.me/durov/42"},
    {"tg:resolve?domain=durov&post=42", "t.me/durov/42"},
    {"tg://resolve?post=42&domain=durov&thread=7&comment=9&single", "t.me/durov/42?single&thread=7&comment=9"},
    {"tg://resolve?domain=durov", "t.me/durov"},
    {"tg://privatepost?channel=1234567890&post=42", "t.me/c/1234567890/42"},
    {"tg://privatepost?channel=1234567890&post=42&thread=3", "t.me/c/1234567890/42?thread=3"},
    {"t.me/durov/10-25", "t.me/durov/10-25"},
    {"t.me/durov/10-10", "t.me/durov/10-10"},
    {"t.me/durov/100-", "t.me/durov/100-"},
    {"t.me/c/1234567890/100-200", "t.me/c/1234567890/100-200"},
    {"t.me/forum_chat/5/100-", "t.me/forum_chat/5/100-"},
    {"t.me/durov/10-25?thread=3", "t.me/durov/10-25?thread=3"},
    {"t.me/durov", "t.me/durov"},
    {"https://t.me/durov/", "t.me/durov"},
    {"t.me/s/durov", "t.me/durov"},
    {"t.me/c/1234567890", "t.me/c/1234567890"},
    {"@durov", "t.me/durov"},
    {"t.me/gif/1", "t.me/gif/1"},  // Telegram's own 3-letter bots
    {"t.me/News/1", "t.me/News/1"},  // case kept: Telegram compares usernames case-insensitively
    {"t.me/a_b_c_d_e_f_g_h_i_j_k_l_m_n_op/1", "t.me/a_b_c_d_e_f_g_h_i_j_k_l_m_n_op/1"},  // 32 characters
    {"t.me/durov/2147483647", "t.me/durov/2147483647"},
    {"t.me/durov/007", "t.me/durov/7"},
    {"t.me/c/997852516352/1", "t.me/c/997852516352/1"},  // the largest channel id
};

struct Rejected {
  std::string text;
  std::string words;  // must appear in the error's detail
};

const std::vector<Rejected> kRejected = {
    {"", "an empty link"},
    {"   ", "an empty link"},
    {"t.me/", "no chat in the link"},
    {"https://example.com/durov/42", "not a t.me link"},
    {"ftp://t.me/durov/42", "not a Telegram link"},
    {"durov", "a bare name; write @durov"},
    {"t.me/ab/1", "too short"},
    {"t.me/abcdefghijabcdefghijabcdefghijabc/1", "too long"},
    {"t.me/1durov/1", "must start with a letter"},
    {"t.me/du-rov/1", "only letters, digits and '_'"},
    {"t.me/du__rov/1", "\"__\""},
    {"t.me/durov_/1", "may not end with '_'"},
    {"@du rov", "unexpected \" rov\" after the link"},
    {"@", "is not a username: empty"},
    {"t.me/durov/0", "message id 0 does not exist"},
    {"t.me/durov/2147483648", "too large (at most 2147483647)"},
    {"t.me/durov/99999999999999999999999", "too large"},
    {"t.me/durov/-5", "not a message id or range"},
    {"t.me/durov/+5", "is not a message id"},
    {"t.me/durov/abc", "\"abc\" is not a message id"},
    {"t.me/durov/25-10", "range 25-10 is reversed (write 10-25)"},
    {"t.me/durov/10-0", "message id 0"},
    {"t.me/durov/10-x", "\"x\" is not a message id"},
    {"t.me/durov/0/5", "topic id 0"},
    {"t.me/c/0/5", "channel id 0"},
    {"t.me/c/997852516353/1", "channel id \"997852516353\" is too large"},
    {"t.me/c/-1001234567890/5", "Bot API chat id"},
    {"t.me/c/durov/5", "\"durov\" is not a channel id"},
    {"t.me/c", "t.me/c/ needs a chat"},
    {"t.me/c/", "t.me/c/ needs a chat"},
    {"t.me/joinchat/AAAAAEHbEkejzxUjAUCzYA", "an invite link, not a message"},
    {"https://t.me/+AAAAAEHbEkejzxUj", "an invite link, not a message"},
    {"t.me/+15551234567", "a phone number link, not a message"},
    {"t.me/addstickers/Animals", "a sticker set link, not a message"},
    {"t.me/addemoji/Pack", "an emoji pack link"},
    {"t.me/addlist/abc", "a chat folder link"},
    {"t.me/proxy?server=1.2.3.4&port=443", "a proxy link"},
    {"t.me/share/url?url=x", "a share link"},
    {"t.me/$invoiceSlug", "an invoice link"},
    {"t.me/joinchat/a/b/c", "an invite link"},
    {"joinchat.t.me/abc", "an invite link"},
    {"www.t.me", "no chat in the link"},
    {"a.t.me/1", "a Telegram Web link"},
    {"tg://join?invite=AAAA", "an invite link, not a message"},
    {"tg://addstickers?set=Animals", "a sticker set link"},
    {"tg://settings", "not a message link: \"settings\""},
    {"tg://resolve?post=5", "needs domain=USER"},
    {"tg://resolve?domain=durov&post=0", "message id 0"},
    {"tg://resolve?domain=durov&channel=5", "takes domain=, not channel="},
    {"tg://resolve?domain=durov&start=abc", "unknown option \"start\""},
    {"tg://privatepost?channel=1234567890", "needs post=ID"},
    {"tg://privatepost?post=5", "needs channel=CHANNEL"},
    {"tg://privatepost?channel=abc&post=5", "not a channel id"},
    {"t.me/durov/42/extra", "\"extra\" is not a message id"},
    {"t.me/durov/1/2/3", "unexpected \"/3\" after the message"},
    {"t.me/c/1234567890/1/2/3", "unexpected \"/3\" after the message"},
    {"t.me/durov//42", "an empty path segment"},
    {"t.me/durov/42 trailing", "unexpected \" trailing\" after the link"},
    {"t.me/durov/42\ttab", "unexpected \"\\ttab\" after the link"},
    {std::string("t.me/durov/4\0" "2", 14), "unexpected \"\\x002\" after the link"},
    {"t.me/durov/42?foo=1", "unknown option \"foo\""},
    {"t.me/durov/42?domain=x", "unknown option \"domain\""},
    {"t.me/durov/42?single=1", "?single takes no value"},
    {"t.me/durov/42?single&single", "option \"single\" given twice"},
    {"t.me/durov/42?thread=1&thread=2", "option \"thread\" given twice"},
    {"t.me/durov/42?thread=", "\"\" is not a thread id"},
    {"t.me/durov/42?comment=0", "comment id 0"},
    {"t.me/durov/10-20?single", "?single needs one message"},
    {"t.me/durov?comment=5", "?comment= needs one message"},
    {"t.me:443/durov/1", "not a t.me link"},
};

}  // namespace

TEST_CASE("every link form parses to its canonical form") {
  for (const auto& [text, canonical] : kAccepted) {
    INFO(text);
    const auto link = parse_link(text);
    REQUIRE(link.ok());
    CHECK(link->to_string() == canonical);
  }
}

TEST_CASE("the canonical form parses back to the same link") {
  for (const auto& [text, canonical] : kAccepted) {
    INFO(text);
    const auto link = parse_link(text);
    REQUIRE(link.ok());
    const auto again = parse_link(link->to_string());
    REQUIRE(again.ok());
    CHECK(*again == *link);
  }
}

TEST_CASE("each rejected link says what is wrong and quotes the text") {
  for (const auto& [text, words] : kRejected) {
    INFO(text);
    const auto link = parse_link(text);
    REQUIRE_FALSE(link.ok());
    CHECK(link.error().code == mtp::kErrInvalidArgument);
    CHECK(link.error().type == "LINK_INVALID");
    CHECK_THAT(link.error().detail, Catch::Contains(words));
    CHECK(link.error().detail.rfind("\"", 0) == 0);  // starts with the quoted link
  }
}

TEST_CASE("the fields of a topic link with options") {
  const auto link = parse_link("https://t.me/c/2623426951/3/17039?single&comment=12");
  REQUIRE(link.ok());
  CHECK(link->chat.by_id());
  CHECK(link->chat.channel_id == 2623426951);
  CHECK(link->chat.username.empty());
  CHECK(link->topic == 3);
  CHECK(link->messages == MessageSelection{Kind::kOne, 17039, 0});
  CHECK(link->single);
  CHECK(link->comment == 12);
  CHECK_FALSE(link->thread);
}

TEST_CASE("the fields of ranges and of a whole chat") {
  const auto range = parse_link("t.me/durov/10-25");
  REQUIRE(range.ok());
  CHECK(range->chat.username == "durov");
  CHECK_FALSE(range->chat.by_id());
  CHECK(range->messages == MessageSelection{Kind::kRange, 10, 25});
  const auto open = parse_link("t.me/durov/100-");
  REQUIRE(open.ok());
  CHECK(open->messages == MessageSelection{Kind::kFrom, 100, 0});
  const auto whole = parse_link("@durov");
  REQUIRE(whole.ok());
  CHECK(whole->messages.kind == Kind::kWholeChat);
  CHECK_FALSE(whole->topic);
}

TEST_CASE("error messages escape control characters and shorten long text") {
  const auto link = parse_link("t.me/du\x1b[31mrov/1");
  REQUIRE_FALSE(link.ok());
  CHECK(link.error().detail.find('\x1b') == std::string::npos);
  CHECK_THAT(link.error().detail, Catch::Contains("\\x1b"));
  const auto long_link = parse_link("t.me/" + std::string(5000, 'x') + "/1");
  REQUIRE_FALSE(long_link.ok());
  CHECK(long_link.error().detail.size() < 400);
}
