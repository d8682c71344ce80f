// The layer bridge, layer by layer: for a sample of layers (and then every layer of the official
// directory) the objects of the download flow are encoded in that layer and decoded with that
// layer's own schema, and requests of that layer are decoded and upgraded into ours with their
// values intact. A client of layer N must see layer N's constructors and nothing else.
#include <catch2/catch.hpp>

#include <functional>

#include "layers_fixtures.hpp"
#include "tl/object.hpp"
#include "tl_decode.hpp"

using namespace layers_test;
using testdc::layers::DynValue;
using testdc::layers::LayerSchema;

namespace {

const LayerSchema& schema_of(int layer) {
  const LayerSchema* s = transcoder().schemas().for_client(layer);
  REQUIRE(s != nullptr);
  REQUIRE(s->layer == layer);
  return *s;
}

// Every constructor in the tree is the one its name has in `s` (decoding with `s` already refuses
// ids `s` does not have; this also catches an id that `s` gives to another name).
void check_constructors(const LayerSchema& s, const DynValue& v) {
  if (!v.ctor.empty()) {
    const int c = s.find_id(v.id);
    REQUIRE(c >= 0);
    CHECK(s.combinators[c].name == v.ctor);
  }
  for (const DynValue& item : v.items) check_constructors(s, item);
  for (const auto& [name, field] : v.fields) check_constructors(s, field);
}

DynValue in_layer(const mtp::Bytes& ours, int layer) {
  auto down = transcoder().downgrade(ours, layer);
  if (!down.ok()) FAIL("downgrade to " << layer << ": " << down.error().to_string());
  const LayerSchema& s = schema_of(layer);
  auto v = testdc::layers::decode(s, *down);
  if (!v.ok()) FAIL("decode in layer " << layer << ": " << v.error().to_string());
  check_constructors(s, *v);
  return std::move(*v);
}

struct ObjectCase {
  const char* name;
  mtp::Bytes bytes;                                   // layer 228
  const char* ctor;                                   // its constructor in every layer
  std::function<void(const DynValue&)> check_values;  // what must survive
};

std::vector<ObjectCase> object_cases() {
  const api::Message message = sample_message();
  std::vector<ObjectCase> out;
  out.push_back({"user", mtp::tl::serialize(sample_user()), "user", [](const DynValue& v) {
                   CHECK(at(v, "id").number == 1001);
                   CHECK(at(v, "access_hash").number == 0x1122334455667788);
                   CHECK(at(v, "first_name").bytes == "Alice");
                   CHECK(at(v, "username").bytes == "alice_test");
                 }});
  out.push_back({"channel", mtp::tl::serialize(sample_channel()), "channel", [](const DynValue& v) {
                   CHECK(at(v, "id").number == 2002);
                   CHECK(at(v, "access_hash").number == -42);
                   CHECK(at(v, "title").bytes == "Demo channel");
                   CHECK(at(v, "username").bytes == "tgdemo");
                   CHECK(v.has("broadcast"));
                 }});
  out.push_back({"message", mtp::tl::serialize(message), "message", [](const DynValue& v) {
                   CHECK(at(v, "id").number == 3);
                   CHECK(at(at(v, "peer_id"), "channel_id").number == 2002);
                   CHECK(at(v, "media").ctor == "messageMediaDocument");
                 }});
  out.push_back({"messageMediaDocument", mtp::tl::serialize(*message.get<api::message>().media),
                 "messageMediaDocument", [](const DynValue& v) {
                   const DynValue& doc = at(v, "document");
                   CHECK(doc.ctor == "document");
                   CHECK(at(doc, "id").number == 3003);
                   CHECK(at(doc, "access_hash").number == 0x0102030405060708);
                   CHECK(at(doc, "size").number == 50LL * 1024 * 1024 + 5);
                   CHECK(at(doc, "dc_id").number == 2);
                   CHECK(at(doc, "file_reference").bytes.size() == 20);
                   CHECK(at(doc, "mime_type").bytes == "video/mp4");
                 }});
  out.push_back({"config", mtp::tl::serialize(sample_config()), "config", [](const DynValue& v) {
                   CHECK(at(v, "this_dc").number == 2);
                   REQUIRE(at(v, "dc_options").items.size() == 3);
                   CHECK(at(at(v, "dc_options").items[2], "ip_address").bytes == "127.0.0.1");
                 }});
  out.push_back({"auth.authorization",
                 mtp::tl::serialize(api::auth_Authorization(api::auth_authorization{.user = sample_user()})),
                 "auth.authorization", [](const DynValue& v) {
                   CHECK(at(v, "user").ctor == "user");
                   CHECK(at(at(v, "user"), "id").number == 1001);
                 }});
  return out;
}

struct RequestCase {
  const char* name;
  mtp::Bytes bytes;  // layer 228
  std::function<void(const DynValue& in_layer)> check_decoded;
  std::function<void(const mtp::Bytes& upgraded)> check_upgraded;
};

std::vector<RequestCase> request_cases() {
  std::vector<RequestCase> out;
  api::auth_signIn sign_in;
  sign_in.phone_number = "15550000001";
  sign_in.phone_code_hash = "a1b2c3";
  sign_in.phone_code = "12345";
  out.push_back({"auth.signIn", mtp::tl::serialize(sign_in),
                 [](const DynValue& v) {
                   CHECK(at(v, "phone_number").bytes == "15550000001");
                   CHECK(at(v, "phone_code_hash").bytes == "a1b2c3");
                   CHECK(at(v, "phone_code").bytes == "12345");
                 },
                 [](const mtp::Bytes& b) {
                   mtp::tl::Reader r(b);
                   REQUIRE(r.uint32() == api::auth_signIn::kId);
                   const auto req = api::auth_signIn::fetch_bare(r);
                   REQUIRE(r.ok());
                   CHECK(req.phone_number == "15550000001");
                   CHECK(req.phone_code_hash == "a1b2c3");
                   CHECK(req.phone_code == "12345");
                 }});
  api::contacts_resolveUsername resolve;
  resolve.username = "tgdemo";
  out.push_back({"contacts.resolveUsername", mtp::tl::serialize(resolve),
                 [](const DynValue& v) { CHECK(at(v, "username").bytes == "tgdemo"); },
                 [](const mtp::Bytes& b) {
                   mtp::tl::Reader r(b);
                   REQUIRE(r.uint32() == api::contacts_resolveUsername::kId);
                   const auto req = api::contacts_resolveUsername::fetch_bare(r);
                   REQUIRE(r.ok());
                   CHECK(req.username == "tgdemo");
                 }});
  api::upload_getFile get_file;
  get_file.location = api::inputDocumentFileLocation{
      .id = 3003, .access_hash = 0x0102030405060708, .file_reference = mtp::Bytes(20, 7), .thumb_size = ""};
  get_file.offset = 3 << 20;
  get_file.limit = 1 << 20;
  out.push_back({"upload.getFile", mtp::tl::serialize(get_file),
                 [](const DynValue& v) {
                   CHECK(at(v, "offset").number == 3 << 20);
                   CHECK(at(v, "limit").number == 1 << 20);
                   CHECK(at(at(v, "location"), "id").number == 3003);
                 },
                 [](const mtp::Bytes& b) {
                   mtp::tl::Reader r(b);
                   REQUIRE(r.uint32() == api::upload_getFile::kId);
                   const auto req = api::upload_getFile::fetch_bare(r);
                   REQUIRE(r.ok());
                   CHECK(req.offset == 3 << 20);
                   CHECK(req.limit == 1 << 20);
                   const auto& loc = req.location.get<api::inputDocumentFileLocation>();
                   CHECK(loc.id == 3003);
                   CHECK(loc.file_reference == mtp::Bytes(20, 7));
                 }});
  return out;
}

void check_layer(int layer) {
  for (const ObjectCase& c : object_cases()) {
    INFO(c.name << " in layer " << layer);
    const DynValue v = in_layer(c.bytes, layer);
    CHECK(v.ctor == c.ctor);
    c.check_values(v);
  }
  for (const RequestCase& c : request_cases()) {
    INFO(c.name << " of layer " << layer);
    // The request as a client of that layer sends it...
    const DynValue v = in_layer(c.bytes, layer);
    CHECK(v.ctor == c.name);
    c.check_decoded(v);
    auto sent = transcoder().downgrade(c.bytes, layer);
    REQUIRE(sent.ok());
    // ...and as the server reads it.
    auto up = transcoder().upgrade(*sent, layer);
    if (!up.ok()) FAIL("upgrade from " << layer << ": " << up.error().to_string());
    c.check_upgraded(*up);
  }
}

}  // namespace

TEST_CASE("sample layers: the download flow's objects and requests in exactly that layer") {
  for (int layer : {144, 158, 167, 181, 193, 198, 203, 214, 220, 227, 228}) check_layer(layer);
}

TEST_CASE("every layer of the official directory: the same, and each layer's own constructors") {
  const auto layers = transcoder().schemas().layers();
  REQUIRE(layers.size() >= 80);
  for (int layer : layers) check_layer(layer);
}

TEST_CASE("known constructor ids per layer, from the official schemas") {
  // The ids a client of that layer parses (and a wrong layer would break): user changed in 198,
  // config in 158 and later.
  CHECK(in_layer(mtp::tl::serialize(sample_user()), 198).id == 0x4b46c37eu);
  CHECK(in_layer(mtp::tl::serialize(sample_user()), 193).id == 0x83314fcau);
  CHECK(in_layer(mtp::tl::serialize(sample_config()), 144).id == 0x330b4067u);
  CHECK(in_layer(mtp::tl::serialize(sample_config()), 158).id != 0x330b4067u);
  CHECK(in_layer(mtp::tl::serialize(sample_user()), 228).id == api::user::kId);
}
