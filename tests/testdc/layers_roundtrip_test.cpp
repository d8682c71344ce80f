// Round trips through every older layer for every combinator that exists (by name) in both.
#include <catch2/catch.hpp>

#include "tl/api_registry.hpp"
#include "tl/object.hpp"
#include "layers_fixtures.hpp"
#include "tl_decode.hpp"
#include "transcode_walk.hpp"

using namespace layers_test;
using testdc::layers::Kind;
using testdc::layers::LayerSchema;
using testdc::layers::TranscodePlan;

namespace {
// Every official layer of the directory below ours.
std::vector<int> older_layers() {
  std::vector<int> out = transcoder().schemas().layers();
  out.pop_back();
  return out;
}
}  // namespace

namespace {

bool has_query(const LayerSchema& s, int c) {
  for (const auto& f : s.combinators[c].fields) {
    if (s.nodes[f.node].kind == Kind::Query) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("every constructor in both layers survives 228 -> older -> 228") {
  const auto& t = transcoder();
  const LayerSchema& ours = t.schemas().ours();
  for (int layer : older_layers()) {
    const TranscodePlan* up = t.upgrade_plan(layer);
    REQUIRE(up != nullptr);
    const LayerSchema& old = up->from;
    int tried = 0, unchanged = 0;
    for (std::size_t c = 0; c < ours.combinators.size(); ++c) {
      const auto& comb = ours.combinators[c];
      if (comb.is_function || old.find_constructor(comb.name) < 0) continue;
      INFO(comb.name << " via layer " << layer);
      auto ours_bytes = testdc::layers::default_instance(*up, static_cast<int>(c));
      REQUIRE(ours_bytes.ok());
      auto down = t.downgrade(*ours_bytes, layer);
      if (!down.ok()) FAIL(down.error().to_string());
      auto in_old = testdc::layers::decode(old, *down);
      if (!in_old.ok()) FAIL(in_old.error().to_string());
      CHECK(in_old->ctor == comb.name);
      auto back = t.upgrade(*down, layer);
      if (!back.ok()) FAIL(back.error().to_string());
      auto in_ours = testdc::layers::decode(ours, *back);
      if (!in_ours.ok()) FAIL(in_ours.error().to_string());
      CHECK(in_ours->ctor == comb.name);
      // The generated layer-228 code agrees the result is well-formed (it has no classes for the
      // built-in Bool and True).
      if (comb.type == "Bool" || comb.type == "True") continue;
      auto restored = mtp::tl::api::restore_any(*back);
      if (!restored.ok()) FAIL(restored.error().to_string());
      CHECK(*restored == *back);
      ++tried;
      unchanged += *back == *ours_bytes;
    }
    INFO("layer " << layer << ": " << tried << " constructors, " << unchanged << " unchanged");
    CHECK(tried > 900);
    CHECK(unchanged > tried / 2);
  }
}

TEST_CASE("every request of an older layer known in ours upgrades to a well-formed call") {
  const auto& t = transcoder();
  for (int layer : older_layers()) {
    const TranscodePlan* down = t.downgrade_plan(layer);
    REQUIRE(down != nullptr);
    const LayerSchema& old = down->to;
    int tried = 0;
    for (std::size_t f = 0; f < old.combinators.size(); ++f) {
      const auto& comb = old.combinators[f];
      if (!comb.is_function || has_query(old, static_cast<int>(f))) continue;
      if (t.schemas().ours().find_function(comb.name) < 0) continue;
      INFO(comb.name << " from layer " << layer);
      auto request = testdc::layers::default_instance(*down, static_cast<int>(f));
      REQUIRE(request.ok());
      auto up = t.upgrade(*request, layer);
      if (!up.ok()) FAIL(up.error().to_string());
      auto restored = mtp::tl::api::restore_any(*up);
      if (!restored.ok()) FAIL(restored.error().to_string());
      ++tried;
    }
    INFO("layer " << layer << ": " << tried << " functions");
    CHECK(tried > 300);
  }
}

TEST_CASE("a request unknown in our layer is an error") {
  const auto& t = transcoder();
  const TranscodePlan* down = t.downgrade_plan(144);
  REQUIRE(down != nullptr);
  const LayerSchema& old = down->to;
  int gone = 0;
  for (std::size_t f = 0; f < old.combinators.size(); ++f) {
    const auto& comb = old.combinators[f];
    if (!comb.is_function || has_query(old, static_cast<int>(f)) || t.schemas().ours().find_function(comb.name) >= 0) continue;
    auto request = testdc::layers::default_instance(*down, static_cast<int>(f));
    REQUIRE(request.ok());
    auto up = t.upgrade(*request, 144);
    REQUIRE_FALSE(up.ok());
    CHECK(up.error().type == "TL_NO_COUNTERPART");
    ++gone;
  }
  CHECK(gone > 0);
}

TEST_CASE("the sample objects come back from every older layer with their values") {
  const auto& t = transcoder();
  for (int layer : older_layers()) {
    for (const Sample& s : all_samples()) {
      INFO(s.label << " via layer " << layer);
      auto down = t.downgrade(s.bytes, layer);
      REQUIRE(down.ok());
      auto back = t.upgrade(*down, layer);
      if (!back.ok()) FAIL(back.error().to_string());
      if (s.label == "users") {  // restore_any takes objects only
        CHECK(mtp::tl::parse<std::vector<api::User>>(*back).ok());
        continue;
      }
      auto restored = mtp::tl::api::restore_any(*back);
      if (!restored.ok()) FAIL(restored.error().to_string());
    }
    auto down = t.downgrade(mtp::tl::serialize(sample_message()), layer);
    REQUIRE(down.ok());
    auto back = t.upgrade(*down, layer);
    REQUIRE(back.ok());
    auto msg = mtp::tl::parse<api::Message>(*back);
    REQUIRE(msg.ok());
    const auto& m = msg->get<api::message>();
    CHECK(m.id == 3);
    CHECK(m.grouped_id == 777);
    const auto& doc = m.media->get<api::messageMediaDocument>().document->get<api::document>();
    CHECK(doc.size == 50LL * 1024 * 1024 + 5);
    CHECK(doc.attributes.size() == 2);
    const auto& video = doc.attributes[0].get<api::documentAttributeVideo>();
    CHECK(video.supports_streaming);
    CHECK(video.w == 640);
    // Before layer 160 the duration was whole seconds; later layers keep the double.
    CHECK(video.duration == (layer < 160 ? 12.0 : 12.75));
  }
}
