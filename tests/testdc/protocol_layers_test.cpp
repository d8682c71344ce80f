// Clients of older layers over the wire: each is answered in exactly the layer it declared with
// invokeWithLayer, and its requests are decoded in that layer (the official schemas from
// ../shared/tl/layers, read by the test DC at run time). Undecodable requests are logged by their
// method name; layers the server cannot speak are refused, never answered in another layer.
// Never co_await inside CHECK/REQUIRE: GCC evaluates such an expression more than once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

#include "layer_bridge.hpp"
#include "layer_transcoder.hpp"
#include "protocol_harness.hpp"
#include "tl/mtproto.hpp"
#include "tl_decode.hpp"

using namespace testdc;
using namespace testdc::testing;
using testdc::layers::DynValue;
namespace mt = mtp::tl::mt;
namespace api = mtp::tl::api;
using namespace std::chrono_literals;

namespace {

const layers::LayerSchema& schema(int layer) {
  const layers::LayerSchema* s = layer_transcoder().schemas().for_client(layer);
  REQUIRE(s != nullptr);
  return *s;
}

std::uint32_t id_in(int layer, std::string_view ctor) {
  const int c = schema(layer).find_constructor(ctor);
  REQUIRE(c >= 0);
  return schema(layer).combinators[c].id;
}

// `request` (serialized in our layer) as a client of `layer` sends it: rewritten into that layer,
// inside invokeWithLayer(layer, initConnection(...)).
mtp::Bytes as_client_of(int layer, const mtp::Bytes& request) {
  auto down = layer_transcoder().downgrade(request, layer);
  REQUIRE(down.ok());
  api::initConnection<mtp::tl::RawObject> init;
  init.api_id = 17349;
  init.device_model = "raw";
  init.system_version = "test";
  init.app_version = "1";
  init.system_lang_code = "en";
  init.lang_code = "en";
  init.query.bytes = std::move(*down);
  api::invokeWithLayer<api::initConnection<mtp::tl::RawObject>> wrapped;
  wrapped.layer = layer;
  wrapped.query = std::move(init);
  return mtp::tl::serialize(wrapped);
}

asio::awaitable<mtp::Bytes> call(RawClient& c, const mtp::Bytes& body) {
  auto sent = co_await c.send(body);
  REQUIRE(sent.ok());
  auto result = co_await c.receive_result(*sent, 5s);
  REQUIRE(result.ok());
  co_return std::move(*result);
}

DynValue decoded_in(int layer, const mtp::Bytes& bytes) {
  auto v = layers::decode(schema(layer), bytes);
  if (!v.ok()) FAIL("not a layer-" << layer << " object: " << v.error().to_string());
  return std::move(*v);
}

api::auth_sendCode send_code() {
  api::auth_sendCode req;
  req.phone_number = "15550000001";
  req.api_id = 17349;
  req.api_hash = "tgget-testdc";
  req.settings = api::codeSettings{};
  return req;
}

}  // namespace

TEST_CASE("a layer-198 client logs in and gets layer 198's user#4b46c37e") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    const mtp::Bytes sent_bytes = co_await call(c, as_client_of(198, mtp::tl::serialize(send_code())));
    const DynValue sent = decoded_in(198, sent_bytes);
    REQUIRE(sent.ctor == "auth.sentCode");
    api::auth_signIn sign_in;
    sign_in.phone_number = "15550000001";
    sign_in.phone_code_hash = sent.field("phone_code_hash")->bytes;
    sign_in.phone_code = "12345";
    const mtp::Bytes auth_bytes = co_await call(c, as_client_of(198, mtp::tl::serialize(sign_in)));
    const DynValue auth = decoded_in(198, auth_bytes);
    REQUIRE(auth.ctor == "auth.authorization");
    const DynValue* user = auth.field("user");
    REQUIRE(user != nullptr);
    CHECK(user->ctor == "user");
    CHECK(user->id == 0x4b46c37eu);
    CHECK(user->field("phone")->bytes == "15550000001");
    CHECK(dc.state().log().count("auth.signIn") == 1);
  });
}

TEST_CASE("a layer-158 client: its config in 158's constructor, its auth.sendCode understood") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    const DynValue config = decoded_in(158, co_await call(c, as_client_of(158, mtp::tl::serialize(api::help_getConfig{}))));
    CHECK(config.ctor == "config");
    CHECK(config.id == id_in(158, "config"));
    CHECK(config.id != 0x330b4067u);  // layer 144's
    const DynValue sent = decoded_in(158, co_await call(c, as_client_of(158, mtp::tl::serialize(send_code()))));
    CHECK(sent.ctor == "auth.sentCode");
    CHECK(dc.state().log().count("auth.sendCode") == 1);
  });
}

TEST_CASE("a request that does not decode in the client's layer is logged by its method and the failing constructor") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    mtp::Bytes body = as_client_of(158, mtp::tl::serialize(send_code()));
    // The codeSettings id is the last constructor id in the request: replace it with garbage.
    const std::uint32_t settings_id = id_in(158, "codeSettings");
    bool patched = false;
    for (std::size_t i = body.size() - 4; i > 0 && !patched; --i) {
      std::uint32_t v;
      std::memcpy(&v, body.data() + i, 4);
      if (v == settings_id) {
        const std::uint32_t bad = 0xdeadbeef;
        std::memcpy(body.data() + i, &bad, 4);
        patched = true;
      }
    }
    REQUIRE(patched);
    const mtp::Bytes answer = co_await call(c, body);
    auto error = mtp::tl::parse<mt::RpcError>(answer);
    REQUIRE(error.ok());
    CHECK(error->get<mt::rpc_error>().error_code == 400);
    CHECK(error->get<mt::rpc_error>().error_message == "INPUT_FETCH_ERROR");
    CHECK(dc.state().log().count("auth.sendCode") == 1);
    CHECK(dc.state().log().count("unknown#a677244f") == 0);
  });
}

TEST_CASE("layers the server cannot speak are refused, newer ones get ours") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    const mtp::Bytes refused = co_await call(c, as_client_of(300, mtp::tl::serialize(api::help_getNearestDc{})));
    // 300 is served in our layer; now the key is remembered at 300.
    auto nearest = mtp::tl::parse<api::NearestDc>(refused);
    CHECK(nearest.ok());

    mtp::Bytes old = mtp::tl::serialize(api::help_getNearestDc{});
    api::invokeWithLayer<mtp::tl::RawObject> wrapped;
    wrapped.layer = 100;
    wrapped.query.bytes = old;
    const mtp::Bytes answer = co_await call(c, mtp::tl::serialize(wrapped));
    auto error = mtp::tl::parse<mt::RpcError>(answer);
    REQUIRE(error.ok());
    CHECK(error->get<mt::rpc_error>().error_message == "CONNECTION_LAYER_INVALID");
  });
}

TEST_CASE("every layer of the directory is served exactly, unpublished gaps get the nearest lower one") {
  const auto& t = layer_transcoder();
  const auto layers = t.schemas().layers();
  REQUIRE(layers.size() >= 80);
  CHECK(layers.front() == 144);
  CHECK(layers.back() == 228);
  for (int layer = 144; layer <= 228; ++layer) {
    INFO("layer " << layer);
    const bool published = std::find(layers.begin(), layers.end(), layer) != layers.end();
    const int expected = published ? layer : *std::prev(std::upper_bound(layers.begin(), layers.end(), layer));
    CHECK(t.effective_layer(layer) == expected);
  }
  for (int gap : {153, 157, 215, 219, 226}) CHECK(t.effective_layer(gap) == gap - 1);
  CHECK_FALSE(t.effective_layer(143).has_value());
  CHECK(t.effective_layer(229) == 228);
}
