#pragma once
// A small test world for the API handler tests: a manifest with accounts (plain, 2FA, premium,
// foreign home DC), a bot, a public channel with documents on DCs 2 and 4 (an album among them)
// and a private channel; ServerState built from it; calls through handle_api_call on an
// io_context, as the MTProto core makes them. Time is injected (no sleeping).
#include <catch2/catch.hpp>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "api_call.hpp"
#include "server_state.hpp"
#include "api_state.hpp"
#include "testdc_process.hpp"
#include "byte_sizes.hpp"
#include "tl/api.hpp"
#include "world.hpp"

namespace testdc::test {

namespace api = mtp::tl::api;
namespace fs = std::filesystem;

constexpr std::int64_t kSmallSize = 5000;
constexpr std::int64_t kBigSize = 2 * 1024 * 1024 + 512 * 1024 + 123;  // 2.5 MiB + a ragged tail
constexpr std::int64_t kUserPlain = 1'000'001;
constexpr std::int64_t kUser2fa = 1'000'002;
constexpr std::int64_t kUserDc4 = 1'000'003;
constexpr std::int64_t kUserPremium = 1'000'004;
constexpr std::int64_t kBot = 1'000'005;

using tgget::testing::pattern_bytes;  // the launcher's deterministic file contents

class ApiWorld {
 public:
  // more_conditions: further members of the manifest's "conditions" object, e.g.
  // R"("corrupt_range": "0:4096")".
  explicit ApiWorld(int file_reference_lifetime_s = 3600, int premium_parallel_limit = 2,
                    const std::string& more_conditions = "") {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("tgget-api-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    small_ = pattern_bytes(kSmallSize, 1);
    big_ = pattern_bytes(kBigSize, 2);
    write("small.bin", small_);
    write("big.bin", big_);
    std::string manifest = R"({
      "conditions": {"seed": 3, "premium_parallel_limit": )" + std::to_string(premium_parallel_limit) +
                           R"(, "file_reference_lifetime_s": )" + std::to_string(file_reference_lifetime_s) +
                           (more_conditions.empty() ? "" : ", " + more_conditions) + R"(},
      "dcs": [{"id": 1}, {"id": 2, "media": true}, {"id": 4}],
      "accounts": [
        {"phone": "15550000001", "code": "12345", "username": "alice_user", "first_name": "Alice"},
        {"phone": "15550000002", "code": "22222", "password": "hunter2"},
        {"phone": "15550000003", "code": "33333", "home_dc": 4},
        {"phone": "15550000004", "code": "44444", "premium": true}],
      "bots": [{"token": "100001:TESTBOT", "username": "tgget_bot"}],
      "channels": [
        {"username": "TgDemo", "title": "Demo", "messages": [
          {"text": "one", "document": {"file": "small.bin", "dc": 2}},
          {"text": "two", "grouped_id": 77, "document": {"file": "big.bin", "dc": 2, "mime_type": "video/mp4",
            "file_name": "clip.mp4", "video": {"duration": 12.5, "w": 1280, "h": 720}}},
          {"text": "three", "grouped_id": 77, "document": {"file": "small.bin", "dc": 4}},
          {"text": "plain"}]},
        {"id": 555, "title": "Secret", "members": ["15550000002"], "messages": [{"text": "hidden"}]}]
    })";
    init(manifest);
  }
  // A world of the test's own: manifest text (documents "generate"d, or files written with write()).
  struct Manifest {
    std::string json;
  };
  explicit ApiWorld(const Manifest& manifest) {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("tgget-api-m-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    init(manifest.json);
  }
  ~ApiWorld() { fs::remove_all(dir_); }

  ServerState& state() { return *state_; }
  const World& world() { return state_->world(); }
  const mtp::Bytes& small_file() const { return small_; }
  const mtp::Bytes& big_file() const { return big_; }
  void advance_ms(std::int64_t ms) { now_ms_ += ms; }

  std::shared_ptr<AuthKeyInfo> new_key(int dc) {
    auto key = std::make_shared<AuthKeyInfo>();
    key->id = next_key_id_++;
    key->dc = dc;
    key->layer = api::kLayer;
    return key;
  }

  // One call through handle_api_call, as the core makes it.
  ApiReply call_raw(int dc, const std::shared_ptr<AuthKeyInfo>& key, mtp::Bytes request,
                    std::uint64_t connection_id = 1) {
    asio::io_context io;
    ApiCall call{*state_, io.get_executor(), dc, false, connection_id, key, 0x1234, 0x5678, api::kLayer, request};
    std::optional<ApiReply> out;
    asio::co_spawn(io, handle_api_call(call), [&](std::exception_ptr e, ApiReply r) {
      REQUIRE(!e);
      out = std::move(r);
    });
    io.run();
    REQUIRE(out.has_value());
    // Exactly one of result and error.
    CHECK(out->result.empty() == out->error.has_value());
    return std::move(*out);
  }
  template <class Req>
  ApiReply call(int dc, const std::shared_ptr<AuthKeyInfo>& key, const Req& req, std::uint64_t connection_id = 1) {
    return call_raw(dc, key, mtp::tl::serialize(req), connection_id);
  }

  // A key on `dc` logged in with phone + code (accounts without 2FA).
  std::shared_ptr<AuthKeyInfo> login(int dc, const std::string& phone, const std::string& code);

 private:
  void init(const std::string& manifest) {
    auto world = load_manifest(manifest, dir_);
    REQUIRE(world.ok());
    state_ = std::make_unique<ServerState>(std::move(*world));
    state_->api().set_clock([this] { return now_ms_.load(); });
  }
  void write(const std::string& name, const mtp::Bytes& data) {
    std::ofstream out(dir_ / name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  }

  fs::path dir_;
  mtp::Bytes small_, big_;
  std::unique_ptr<ServerState> state_;
  std::atomic<std::int64_t> now_ms_{1'800'000'000'000};
  std::uint64_t next_key_id_ = 0x1000;
};

template <class T>
T result_of(const ApiReply& reply) {
  if (reply.error) FAIL("unexpected error " << reply.error->to_string());
  auto parsed = mtp::tl::parse<T>(reply.result);
  if (!parsed) FAIL("result does not parse: " << parsed.error().to_string());
  return std::move(*parsed);
}

// "FLOOD_WAIT_3 (420)"-style check of an error reply: code and full message.
inline std::string error_of(const ApiReply& reply) {
  if (!reply.error) return "<no error>";
  std::string s = reply.error->type;
  if (reply.error->value) s.append("_").append(std::to_string(*reply.error->value));
  s.append(" ").append(std::to_string(reply.error->code));
  return s;
}

inline std::shared_ptr<AuthKeyInfo> ApiWorld::login(int dc, const std::string& phone, const std::string& code) {
  auto key = new_key(dc);
  auto sent = result_of<api::auth_SentCode>(call(dc, key, api::auth_sendCode{phone, 1, "hash", api::codeSettings{}}));
  const auto& hash = sent.get<api::auth_sentCode>().phone_code_hash;
  auto auth = result_of<api::auth_Authorization>(call(dc, key, api::auth_signIn{phone, hash, code, std::nullopt}));
  REQUIRE(auth.is<api::auth_authorization>());
  return key;
}

// The channel's message `id` (must exist) as the API returns it.
inline api::message fetch_message(ApiWorld& w, int dc, const std::shared_ptr<AuthKeyInfo>& key, int id) {
  const Channel* ch = w.world().find_channel_by_username("tgdemo");
  REQUIRE(ch);
  auto res = result_of<api::messages_Messages>(
      w.call(dc, key, api::channels_getMessages{api::inputChannel{ch->id, ch->access_hash}, {api::inputMessageID{id}}}));
  const auto& msgs = res.get<api::messages_channelMessages>().messages;
  REQUIRE(msgs.size() == 1);
  REQUIRE(msgs[0].is<api::message>());
  return msgs[0].get<api::message>();
}

inline api::document document_of(const api::message& m) {
  REQUIRE(m.media);
  return m.media->get<api::messageMediaDocument>().document->get<api::document>();
}

inline api::inputDocumentFileLocation location_of(const api::document& d) {
  return api::inputDocumentFileLocation{d.id, d.access_hash, d.file_reference, ""};
}

// An ApiWorld with `conditions`, logged in on DC 2, where the channel's message 2 carries the big
// document (2.5 MiB + 123) and message 1 the small one (5000 bytes).
struct LoggedInFiles {
  explicit LoggedInFiles(const std::string& conditions) : w(3600, 0, conditions) {}
  ApiWorld w;
  std::shared_ptr<AuthKeyInfo> key = w.login(2, "15550000001", "12345");
  api::document big = document_of(fetch_message(w, 2, key, 2));
  api::document small = document_of(fetch_message(w, 2, key, 1));

  ApiReply part(const api::document& d, std::int64_t offset, std::int64_t limit) {
    api::upload_getFile req;
    req.location = location_of(d);
    req.offset = offset;
    req.limit = static_cast<std::int32_t>(limit);
    return w.call(2, key, req);
  }
};

// The bytes of an upload.file answer.
inline mtp::Bytes file_bytes_of(const ApiReply& reply) {
  return result_of<api::upload_File>(reply).get<api::upload_file>().bytes;
}

}  // namespace testdc::test
