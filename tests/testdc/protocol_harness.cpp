#include "protocol_harness.hpp"

#include <catch2/catch.hpp>

#include <asio/detached.hpp>

#include "tl/container.hpp"
#include "tl/mtproto.hpp"

namespace testdc::testing {

namespace api = mtp::tl::api;

void run_coroutine(asio::io_context& io, std::function<asio::awaitable<void>()> body) {
  std::exception_ptr failure;
  bool done = false;
  asio::co_spawn(io, body(), [&](std::exception_ptr e) {
    failure = e;
    done = true;
  });
  io.restart();
  while (!done && io.run_one() > 0) {
  }
  if (failure) std::rethrow_exception(failure);
  REQUIRE(done);
}

void drain(asio::io_context& io) {
  io.restart();
  io.poll();
  io.stop();
}

World test_world(Conditions conditions) {
  World world;
  world.dcs = {DcSpec{1, 0, std::nullopt}, DcSpec{2, 0, 0}, DcSpec{4, 0, std::nullopt}};
  world.home_dc = 2;
  Account account;
  account.user_id = 1000001;
  account.phone = "15550000001";
  account.code = "12345";
  account.first_name = "Test";
  account.access_hash = 42;
  world.accounts.push_back(account);
  world.conditions = conditions;
  return world;
}

asio::awaitable<ApiReply> fake_file_handler(ApiCall& call) {
  if (mtp::tl::object_id(call.request) == api::upload_getFile::kId) {
    auto request = mtp::tl::parse<api::upload_getFile>(call.request);
    if (!request) co_return ApiReply::fail(400, "LIMIT_INVALID");
    api::upload_file file;
    file.type = api::storage_filePartial{};
    file.bytes.resize(static_cast<std::size_t>(request->limit));
    for (std::size_t i = 0; i < file.bytes.size(); ++i) {
      file.bytes[i] = static_cast<std::uint8_t>((request->offset + static_cast<std::int64_t>(i)) * 7);
    }
    ApiReply reply = ApiReply::ok(api::upload_File(std::move(file)));
    reply.method = "upload.getFile";
    co_return reply;
  }
  co_return co_await handle_api_call(call);
}

const mtp::crypto::RsaPrivateKey& test_rsa_key() {
  static const mtp::crypto::RsaPrivateKey key = [] {
    auto k = mtp::crypto::RsaPrivateKey::generate(2048);
    if (!k) throw std::runtime_error("RSA key generation failed");
    return *k;
  }();
  return key;
}

InProcessDc::InProcessDc(Conditions conditions, ApiHandler handler) {
  state_ = std::make_unique<ServerState>(test_world(conditions));
  core_ = std::make_unique<ServerCore>(*state_, test_rsa_key(), std::move(handler));
  listeners_ = std::make_unique<Listeners>(io_.get_executor(), *core_);
  auto started = listeners_->start({"127.0.0.1", 0});
  if (!started) throw std::runtime_error(started.error().to_string());
}

InProcessDc::~InProcessDc() {
  listeners_->stop();
  drain(io_);
  listeners_.reset();
}

int InProcessDc::port(int dc) const {
  const auto* a = listeners_->main_address(dc);
  return a ? a->port : 0;
}

void InProcessDc::run(std::function<asio::awaitable<void>()> body) { run_coroutine(io_, std::move(body)); }

asio::awaitable<RawClient> InProcessDc::client(int dc) {
  auto c = co_await RawClient::connect(io_.get_executor(), "127.0.0.1", port(dc));
  if (!c) throw std::runtime_error(c.error().to_string());
  auto shaken = co_await c->handshake(test_rsa_key().public_key(), dc);
  if (!shaken) throw std::runtime_error(shaken.error().to_string());
  co_return std::move(*c);
}

asio::awaitable<RawClient> InProcessDc::client_with_key(const mtp::auth::AuthKeyResult& key,
                                                        std::optional<std::int64_t> session_id, int dc) {
  auto c = co_await RawClient::connect(io_.get_executor(), "127.0.0.1", port(dc));
  if (!c) throw std::runtime_error(c.error().to_string());
  c->use_key(key, session_id);
  co_return std::move(*c);
}

mtp::Bytes get_file_request(std::int64_t offset, std::int32_t limit) {
  api::upload_getFile request;
  request.location = api::inputDocumentFileLocation{1, 2, {}, ""};
  request.offset = offset;
  request.limit = limit;
  return mtp::tl::serialize(request);
}

mtp::Bytes ping_request(std::int64_t ping_id) { return mtp::tl::serialize(mtp::tl::mt::ping{ping_id}); }

}  // namespace testdc::testing
