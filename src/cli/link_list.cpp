#include "cli/link_list.hpp"

#include <fmt/format.h>

#include "cli/quoted.hpp"
#include "cli/safe_path.hpp"

namespace tgget::cli {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

mtp::Error list_problem(std::string why) {
  return mtp::Error::local(mtp::kErrInvalidArgument, "LIST_INVALID", std::move(why));
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

class ListParser {
 public:
  LinkList take() { return std::move(list_); }

  void line(std::size_t number, std::string_view text) {
    if (text.ends_with('\r')) text.remove_suffix(1);
    const std::string_view content = trim_blanks(text);
    if (content.empty() || content.front() == '#') return;
    if (is_blank(text.front())) {
      option(number, content);
    } else {
      link(number, content);
    }
  }

 private:
  enum class Current { kNone, kItem, kSkipped };  // what the option lines below belong to

  void link(std::size_t number, std::string_view text) {
    auto parsed = parse_link(text);
    if (!parsed) {
      current_ = Current::kSkipped;
      return report(number, std::move(parsed).error());
    }
    list_.items.push_back({std::string(text), std::move(*parsed), std::nullopt, number});
    current_ = Current::kItem;
  }

  void option(std::size_t number, std::string_view text) {
    if (current_ == Current::kSkipped) return;  // belongs to a bad link, already reported
    if (current_ == Current::kNone) {
      return report(number, list_problem(fmt::format("{}: an indented option line with no link above it", quoted(text))));
    }
    const auto eq = text.find('=');
    if (eq == std::string_view::npos) {
      return report(number, list_problem(fmt::format("{}: an indented line must be an option such as out=NAME (or "
                                                    "start the link at the beginning of the line)", quoted(text))));
    }
    const std::string_view key = trim_blanks(text.substr(0, eq));
    const std::string_view value = trim_blanks(text.substr(eq + 1));
    if (key != "out") {
      return report(number, list_problem(fmt::format("unsupported option {} (the one option is out=NAME)", quoted(key))));
    }
    LinkListItem& item = list_.items.back();
    if (item.out) return report(number, list_problem(fmt::format("out= given twice for the link on line {}", item.line)));
    if (auto safe = check_relative_path(value); !safe) return report(number, std::move(safe).error());
    item.out = std::string(value);
  }


  void report(std::size_t number, mtp::Error e) { list_.errors.push_back({number, std::move(e)}); }

  LinkList list_;
  Current current_ = Current::kNone;
};

}  // namespace

LinkList parse_link_list(std::string_view content) {
  if (content.starts_with(kBom)) content.remove_prefix(kBom.size());
  ListParser parser;
  std::size_t number = 1;
  while (!content.empty()) {
    const auto end = content.find('\n');
    parser.line(number++, content.substr(0, end));
    if (end == std::string_view::npos) break;
    content.remove_prefix(end + 1);
  }
  return parser.take();
}

}  // namespace tgget::cli
