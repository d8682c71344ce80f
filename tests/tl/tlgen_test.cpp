// The generator's id check: the normalisation rule on known declarations, and a deliberately
// wrong id failing the tlgen run with file:line.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "model.hpp"
#include "parser.hpp"
#include "verify.hpp"

namespace {
tlgen::Combinator parse_one(const std::string& line) {
  tlgen::Schema s;
  tlgen::parse_schema(line, "inline.tl", s);
  REQUIRE(s.constructors.size() + s.functions.size() == 1);
  return s.constructors.empty() ? s.functions[0] : s.constructors[0];
}

// Runs a command, returning its exit status and (merged) output.
int run(const std::string& cmd, std::string& output) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 512> buf;
  while (std::fgets(buf.data(), buf.size(), p)) output += buf.data();
  return pclose(p);
}
}  // namespace

TEST_CASE("normalised declarations match Telegram's ids") {
  auto get_file = parse_one(
      "---functions---\nupload.getFile#be5335be flags:# precise:flags.0?true cdn_supported:flags.1?true "
      "location:InputFileLocation offset:long limit:int = upload.File;");
  CHECK(tlgen::normalized_declaration(get_file) ==
        "upload.getFile flags:# location:InputFileLocation offset:long limit:int = upload.File");
  CHECK(tlgen::crc32(tlgen::normalized_declaration(get_file)) == 0xbe5335be);

  auto res_pq = parse_one(
      "resPQ#05162463 nonce:int128 server_nonce:int128 pq:bytes server_public_key_fingerprints:Vector<long> = ResPQ;");
  CHECK(tlgen::normalized_declaration(res_pq) ==
        "resPQ nonce:int128 server_nonce:int128 pq:string server_public_key_fingerprints:Vector long = ResPQ");
  CHECK(tlgen::crc32(tlgen::normalized_declaration(res_pq)) == 0x05162463);

  auto layer = parse_one("---functions---\ninvokeWithLayer#da9b0d0d {X:Type} layer:int query:!X = X;");
  CHECK(tlgen::normalized_declaration(layer) == "invokeWithLayer X:Type layer:int query:!X = X");
  CHECK(tlgen::crc32(tlgen::normalized_declaration(layer)) == 0xda9b0d0d);

  CHECK(tlgen::crc32(tlgen::normalized_declaration(parse_one("boolTrue#997275b5 = Bool;"))) == 0x997275b5);
}

TEST_CASE("every declaration of both schema files verifies") {
  for (const char* name : {"mtproto.tl", "api.tl"}) {
    std::ifstream f(std::string(TGGET_SOURCE_DIR) + "/tl-schema/" + name);
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    REQUIRE(text.size() > 1000);
    tlgen::Schema s;
    tlgen::parse_schema(text, name, s);
    CHECK(tlgen::verify(s).empty());
    CHECK(s.constructors.size() > 30);
  }
}

TEST_CASE("tlgen fails with file:line and both ids on a wrong constructor id") {
  auto dir = std::filesystem::temp_directory_path() / ("tlgen_test_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  auto bad = dir / "bad.tl";
  {
    std::ofstream f(bad);
    f << "// a comment line\n"
         "pong#347773c5 msg_id:long ping_id:long = Pong;\n"
         "ping_wrong#7abe77ed ping_id:long = Pong;\n";  // real ping is #7abe77ec
  }
  std::string out;
  int status = run(std::string(TLGEN_EXE) + " --namespace t --prefix t --out " + (dir / "out").string() + " " +
                       bad.string(),
                   out);
  CHECK(status != 0);
  CHECK(out.find("bad.tl:3:") != std::string::npos);
  CHECK(out.find("7abe77ed") != std::string::npos);  // declared
  CHECK(out.find("ping_wrong") != std::string::npos);
  CHECK(out.find("bad.tl:2:") == std::string::npos);  // the correct line is not reported
  CHECK_FALSE(std::filesystem::exists(dir / "out" / "t.hpp"));  // nothing generated

  // The same file with the right id generates code.
  {
    std::ofstream f(bad);
    f << "pong#347773c5 msg_id:long ping_id:long = Pong;\n";
  }
  out.clear();
  CHECK(run(std::string(TLGEN_EXE) + " --namespace t --prefix t --out " + (dir / "out").string() + " " + bad.string(),
            out) == 0);
  CHECK(std::filesystem::exists(dir / "out" / "t.hpp"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("parse errors carry file and line") {
  tlgen::Schema s;
  try {
    tlgen::parse_schema("ok#3fedd339 = True;\nbroken#1 a:int = ;\n", "x.tl", s);
    FAIL("no error");
  } catch (const tlgen::ParseError& e) {
    CHECK(e.what().rfind("x.tl:2:", 0) == 0);
  }
}
