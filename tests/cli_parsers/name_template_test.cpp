// NameTemplate: every field, formats, escapes, parse errors, and names from a hostile server
// (../../x, /etc/passwd, 300-byte UTF-8 names, control characters, only dots, NUL, empty)
// always rendering to a relative path inside the target directory.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cli/mime_extension.hpp"
#include "cli/name_template.hpp"
#include "cli/safe_path.hpp"

using tgget::cli::NameFields;
using tgget::cli::NameTemplate;

namespace {

NameFields sample() {
  NameFields f;
  f.chat_username = "tgdemo";
  f.chat_title = "Demo Channel";
  f.chat_id = 1000000555;
  f.message_id = 42;
  f.topic = 7;
  f.date = 1717243200;  // 2024-06-01T12:00:00Z
  f.file_name = "video.mp4";
  f.mime_type = "video/mp4";
  f.size = 123456;
  f.album = 77;
  f.caption = "A trip to the sea, day one";
  return f;
}

std::string render(std::string_view tmpl, const NameFields& f) {
  const auto parsed = NameTemplate::parse(tmpl);
  REQUIRE(parsed.ok());
  const auto path = parsed->render(f);
  REQUIRE(path.ok());
  return *path;
}

}  // namespace

TEST_CASE("the default template and every field") {
  const NameFields f = sample();
  CHECK(render(NameTemplate::kDefault, f) == "tgdemo_42_video.mp4");
  CHECK(render("{chat}/{id}_{filename}", f) == "tgdemo/42_video.mp4");
  CHECK(render("{chat_title}|{chat_id}|{topic}|{ext}|{size}|{album}", f) == "Demo Channel|1000000555|7|mp4|123456|77");
  CHECK(render("{date}", f) == "2024-06-01");
  CHECK(render("{date:%Y-%m}/{id}", f) == "2024-06/42");
  CHECK(render("{date:%Y/%m/%d %H.%M.%S} {date:%j %y %F %T %s %%}", f) ==
        "2024/06/01 12.00.00 153 24 2024-06-01 12:00:00 1717243200 %");
  CHECK(render("{caption:6}", f) == "A trip");
  CHECK(render("{caption}", f) == "A trip to the sea, day one");
  CHECK(render("{{{id}}}", f) == "{42}");
  CHECK(render("plain.bin", f) == "plain.bin");
}

TEST_CASE("chat falls back to the id, empty fields leave no empty directory") {
  NameFields f = sample();
  f.chat_username.clear();
  f.topic.reset();
  f.album.reset();
  CHECK(render("{chat}_{id}", f) == "1000000555_42");
  CHECK(render("{topic}/{album}/{id}", f) == "42");
  CHECK(render("{chat}/{topic}/{filename}", f) == "1000000555/video.mp4");
  f.caption.clear();
  CHECK(render("{caption}", f) == "_");
}

TEST_CASE("a document without a name is {id}.{ext} from its mime type") {
  NameFields f = sample();
  f.file_name.clear();
  const std::vector<std::pair<std::string, std::string>> table = {
      {"video/mp4", "42.mp4"},          {"image/jpeg", "42.jpg"},     {"audio/mpeg", "42.mp3"},
      {"audio/ogg; codecs=opus", "42.ogg"}, {"application/pdf", "42.pdf"}, {"application/zip", "42.zip"},
      {"VIDEO/MP4", "42.mp4"},          {"application/x-unknown", "42.bin"}, {"", "42.bin"},
  };
  for (const auto& [mime, name] : table) {
    INFO(mime);
    f.mime_type = mime;
    CHECK(render("{filename}", f) == name);
    CHECK(render("{ext}", f) == name.substr(3));
  }
  f.mime_type = "video/mp4";
  f.file_name = "no_extension";
  CHECK(render("{ext}", f) == "mp4");  // the mime type, when the name has no extension
}

TEST_CASE("hostile file names from Telegram stay inside the target directory") {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"../../x", "tgdemo_42_.._.._x"},
      {"/etc/passwd", "tgdemo_42__etc_passwd"},
      {"..", "tgdemo_42_"},
      {"...", "tgdemo_42_"},
      {"a\\b", "tgdemo_42_a_b"},
      {"evil\nname\x1b[2J.mp4", "tgdemo_42_evil_name_[2J.mp4"},
      {std::string("nul\0byte.mp4", 12), "tgdemo_42_nul_byte.mp4"},
      {"bad\xff\xfeutf8.mp4", "tgdemo_42_bad__utf8.mp4"},
      {"\xC0\xAF.mp4", "tgdemo_42___.mp4"},  // an overlong '/' is not a '/'
      {"doc\u202Egpj.exe", "tgdemo_42_doc_gpj.exe"},  // right-to-left override
      {"name. . .", "tgdemo_42_name"},
      {"\xC2\x85next", "tgdemo_42__next"},  // C1 control NEL
  };
  for (const auto& [file_name, expected] : table) {
    INFO(file_name);
    NameFields f = sample();
    f.file_name = file_name;
    CHECK(render(NameTemplate::kDefault, f) == expected);
  }
}

TEST_CASE("a name that is only dots or empty, alone in a component") {
  NameFields f = sample();
  for (const std::string name : {".", "..", "....", " . "}) {
    INFO(name);
    f.file_name = name;
    CHECK(render("{chat}/{filename}", f) == "tgdemo/_");
  }
  f.file_name.clear();
  CHECK(render("{chat}/{filename}", f) == "tgdemo/42.mp4");
  f.chat_title = "..";
  CHECK(render("{chat_title}/{id}", f) == "_/42");
  f.chat_title = "../../..";
  CHECK(render("{chat_title}/{id}", f) == "_._.._/42");  // a harmless name, neither ".." nor hidden
}

TEST_CASE("a 300-byte UTF-8 name is cut to the component limit on a character boundary keeping the extension") {
  NameFields f = sample();
  std::string name;
  while (name.size() < 296) name += "\xD0\xB6";  // 'ж', two bytes
  name += ".mp4";
  f.file_name = name;
  const std::string path = render("{filename}", f);
  CHECK(path.size() <= tgget::cli::kMaxComponentBytes);
  CHECK(path.size() >= tgget::cli::kMaxComponentBytes - 1);
  CHECK(path.ends_with(".mp4"));
  CHECK((path.size() - 4) % 2 == 0);  // whole characters only
  const std::string prefixed = render("{chat}_{id}_{filename}", f);
  CHECK(prefixed.size() <= tgget::cli::kMaxComponentBytes);
  CHECK(prefixed.ends_with(".mp4"));
  CHECK(prefixed.starts_with("tgdemo_42_"));
  CHECK((prefixed.size() - 4 - 10) % 2 == 0);
  // A long caption in a directory is cut the same way, and the file name after it is kept.
  f.caption = std::string(1000, 'c');
  CHECK(render("{caption}/{id}.{ext}", f) == std::string(tgget::cli::kMaxComponentBytes, 'c') + "/42.mp4");
}

TEST_CASE("every hostile value in every field renders to a safe relative path") {
  const std::vector<std::string> hostile = {
      "", ".", "..", "../../x", "/etc/passwd", "/", "//", "\\", std::string(1, '\0'), std::string("a\0b", 3),
      "\x01\x02\x7f", " ", "...", std::string(300, '.'), std::string(600, 'x'), "\xff", "\xE2\x80", "x/../../y",
  };
  const auto tmpl = NameTemplate::parse("{chat}/{chat_title}/{topic}/{caption}/{date:%Y}/{album}_{filename}.{ext}");
  REQUIRE(tmpl.ok());
  for (const auto& value : hostile) {
    INFO(value);
    NameFields f = sample();
    f.chat_username = f.chat_title = f.file_name = f.mime_type = f.caption = value;
    f.date = -62135596800 - 1;  // before year 1: still digits
    const auto path = tmpl->render(f);
    REQUIRE(path.ok());
    CHECK(tgget::cli::check_relative_path(*path).ok());
    CHECK(path->front() != '/');
    CHECK(path->find("/.") == std::string::npos);  // no component is a hidden name
    CHECK(path->front() != '.');
  }
}

TEST_CASE("template parse errors say what is wrong") {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"", "an empty name template"},
      {"{nope}",
       "unknown field \"nope\" (known: chat, chat_title, chat_id, id, topic, date, filename, ext, size, album, caption)"},
      {"{}", "unknown field \"\""},
      {"{id:5}", "{id} takes no format"},
      {"{caption:0}", "takes a length from 1 to 4096"},
      {"{caption:x}", "takes a length from 1 to 4096"},
      {"{caption:99999}", "takes a length from 1 to 4096"},
      {"{date:}", "needs a format"},
      {"{date:%Q}", "unknown date conversion '%Q'"},
      {"{date:%Y%}", "a '%' at the end"},
      {"{date:%a}", "unknown date conversion '%a'"},  // locale-dependent names are not offered
      {"{id", "has no '}'"},
      {"{id{x}}", "has no '}'"},
      {"id}", "'}' at position 3 has no '{'"},
      {"/{filename}", "an absolute path"},
      {"../{filename}", "a \"..\" directory"},
      {"a/./{filename}", "a \".\" directory"},
      {"{chat}/..", "a \"..\" directory"},
      {"{chat}/", "ends with '/'"},
      {"a\tb{id}", "a control character"},
  };
  for (const auto& [text, words] : table) {
    INFO(text);
    const auto parsed = NameTemplate::parse(text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().type == "TEMPLATE_INVALID");
    CHECK(parsed.error().code == mtp::kErrInvalidArgument);
    CHECK_THAT(parsed.error().detail, Catch::Contains(words));
  }
}

TEST_CASE("dates are UTC and cover leap days and years before 1970") {
  NameFields f = sample();
  f.date = 951782400;  // 2000-02-29T00:00:00Z
  CHECK(render("{date:%F %T %j}", f) == "2000-02-29 00:00:00 060");
  f.date = -1;
  CHECK(render("{date:%F %T}", f) == "1969-12-31 23:59:59");
  f.date = 0;
  CHECK(render("{date:%F}", f) == "1970-01-01");
}
