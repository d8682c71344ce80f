#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "world.hpp"

namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) {
    path = fs::temp_directory_path() / ("tgget-world-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, std::size_t size) const {
    std::ofstream out(path / name, std::ios::binary);
    std::string data(size, 'x');
    out << data;
  }
};
}  // namespace

TEST_CASE("username rule follows Telegram: 5..32 chars, letter first") {
  CHECK(testdc::is_valid_username("tgdemo"));
  CHECK(testdc::is_valid_username("a_b_c"));
  CHECK_FALSE(testdc::is_valid_username("abcd"));
  CHECK_FALSE(testdc::is_valid_username("1abcde"));
  CHECK_FALSE(testdc::is_valid_username("abc-de"));
  CHECK_FALSE(testdc::is_valid_username(std::string(33, 'a')));
  CHECK(testdc::is_valid_username(std::string(32, 'a')));
}

TEST_CASE("serve-dir mode publishes every file as a message of tgdemo in name order") {
  TempDir dir("serve");
  dir.write("b.bin", 10);
  dir.write("a.bin", 5000);
  fs::create_directories(dir.path / "subdir");  // directories are not published
  auto world = testdc::world_from_directory(dir.path);
  REQUIRE(world.ok());
  const auto* chan = world->find_channel_by_username("TGDEMO");
  REQUIRE(chan != nullptr);
  REQUIRE(chan->messages.size() == 2);
  const auto* first = chan->find_message(1);
  REQUIRE(first);
  REQUIRE(first->document);
  CHECK(first->document->file_name == "a.bin");
  CHECK(first->document->size == 5000);
  CHECK(chan->find_message(2)->document->size == 10);
  CHECK(chan->find_message(3) == nullptr);
  CHECK(world->find_account_by_phone("+1 555 000 0001") != nullptr);
  CHECK(world->has_dc(1));
  CHECK(world->has_dc(4));
  CHECK(world->find_document(first->document->id) == &*first->document);
}

TEST_CASE("manifest ids and hashes are deterministic for a seed and differ across seeds") {
  TempDir dir("seed");
  dir.write("f.mp4", 100);
  std::string manifest = R"({
    "conditions": {"seed": 7, "bandwidth_per_connection": 2000000, "rpc_error_500_rate": 0.01},
    "accounts": [{"phone": "15550000002", "code": "22222", "password": "hunter2", "premium": true}],
    "bots": [{"token": "100001:TESTBOT"}],
    "channels": [{"username": "videos_chan", "title": "Videos", "messages": [
      {"id": 42, "text": "clip", "document": {"file": "f.mp4", "dc": 4, "mime_type": "video/mp4",
        "video": {"duration": 12.5, "w": 1280, "h": 720}}, "grouped_id": 9}]},
      {"id": 555, "title": "Private", "members": ["15550000002"]}]
  })";
  auto a = testdc::load_manifest(manifest, dir.path);
  auto b = testdc::load_manifest(manifest, dir.path);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const auto& doc_a = *a->find_channel_by_username("videos_chan")->find_message(42)->document;
  const auto& doc_b = *b->find_channel_by_username("videos_chan")->find_message(42)->document;
  CHECK(doc_a.id == doc_b.id);
  CHECK(doc_a.access_hash == doc_b.access_hash);
  CHECK(doc_a.dc == 4);
  CHECK(doc_a.video->width == 1280);
  CHECK(a->conditions.bandwidth_per_connection == 2000000);
  CHECK(a->find_bot("100001:TESTBOT") != nullptr);
  CHECK(a->find_account_by_phone("15550000002")->password == "hunter2");
  CHECK(a->find_channel_by_id(555)->member_phones.at(0) == "15550000002");

  std::string other_seed = manifest;
  other_seed.replace(other_seed.find("\"seed\": 7"), 9, "\"seed\": 8");
  auto c = testdc::load_manifest(other_seed, dir.path);
  REQUIRE(c.ok());
  CHECK(c->find_channel_by_username("videos_chan")->find_message(42)->document->access_hash != doc_a.access_hash);
}

TEST_CASE("bad manifests are rejected with a clear error") {
  TempDir dir("bad");
  auto expect_error = [&](const std::string& text, const std::string& fragment) {
    auto w = testdc::load_manifest(text, dir.path);
    REQUIRE_FALSE(w.ok());
    CHECK(w.error().type == "MANIFEST_INVALID");
    INFO(w.error().detail);
    CHECK(w.error().detail.find(fragment) != std::string::npos);
  };
  expect_error("not json", "JSON");
  expect_error(R"({"channels": [{"username": "abc"}]})", "username");
  expect_error(R"({"channels": [{"username": "chan_ok", "messages": [{"document": {"file": "missing.bin"}}]}]})", "missing.bin");
  expect_error(R"({"home_dc": 3})", "home_dc");
  expect_error(R"({"dcs": [{"id": 2}, {"id": 2}]})", "DC");
}
