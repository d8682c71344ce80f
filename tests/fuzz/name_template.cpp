// The --name template and the sanitiser (cli/name_template.hpp, cli/safe_path.hpp). Records
// (fuzz_support.hpp): the template, then chat username, chat title, file name, mime type,
// caption as Telegram could send them, then 8-byte numbers (chat id, message id, topic, date,
// size, album). A template that parses renders only safe relative paths; a sanitised component
// is a valid, non-empty name without separators.
#include <cstring>
#include <string>

#include "cli/name_template.hpp"
#include "cli/safe_path.hpp"
#include "fuzz_support.hpp"

namespace {
std::string text(const std::optional<mtp::ByteSpan>& r) {
  return r ? std::string(reinterpret_cast<const char*>(r->data()), r->size()) : std::string();
}
std::int64_t number(const std::optional<mtp::ByteSpan>& r) {
  std::int64_t v = 0;
  if (r) std::memcpy(&v, r->data(), std::min<std::size_t>(8, r->size()));
  return v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tgget::fuzz::Records records(mtp::ByteSpan(data, size));
  auto parsed = tgget::cli::NameTemplate::parse(text(records.next()));
  tgget::cli::NameFields f;
  f.chat_username = text(records.next());
  f.chat_title = text(records.next());
  f.file_name = text(records.next());
  f.mime_type = text(records.next());
  f.caption = text(records.next());
  f.chat_id = number(records.next());
  f.message_id = static_cast<std::int32_t>(number(records.next()));
  if (auto t = records.next()) f.topic = static_cast<std::int32_t>(number(t));
  f.date = number(records.next());
  f.size = number(records.next());
  if (auto a = records.next()) f.album = number(a);

  const std::string component = tgget::cli::sanitize_component(f.file_name);
  TGGET_FUZZ_CHECK(!component.empty() && component.size() <= tgget::cli::kMaxComponentBytes);
  TGGET_FUZZ_CHECK(component.find('/') == std::string::npos && component != "." && component != "..");
  if (!parsed) return 0;
  auto path = parsed->render(f);
  // render() checks its own result; PATH_UNSAFE from it means the sanitiser let something through.
  if (!path) TGGET_FUZZ_CHECK(!path.error().is("PATH_UNSAFE"));
  else TGGET_FUZZ_CHECK(tgget::cli::check_relative_path(*path).ok());
  return 0;
}
