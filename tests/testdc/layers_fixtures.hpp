#pragma once
// Layer-228 objects of the download flow, built with the generated api:: types, for the layer
// transcoder tests (layers_test.cpp, layers_telethon_test.cpp).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tl/api.hpp"
#include "core/bytes.hpp"
#include "layer_transcoder.hpp"
#include "tl_decode.hpp"

namespace layers_test {

namespace api = mtp::tl::api;

// The official layer schemas (../shared/tl/layers beside the repository).
std::filesystem::path layers_dir();
// The transcoder over every layer of that directory, created once.
const testdc::layers::LayerTranscoder& transcoder();

api::User sample_user();
api::Chat sample_channel();
api::Document sample_document();
api::Photo sample_photo();
api::Message sample_message();
api::Config sample_config();
api::account_Password sample_password();

struct Sample {
  std::string label;
  mtp::Bytes bytes;  // boxed, layer 228
};
// Every sample object above plus auth.authorization, auth.sentCode, contacts.resolvedPeer,
// upload.file, messages.channelMessages, a Vector<User> and a message with story media.
std::vector<Sample> all_samples();

// The field `name` of a decoded object; the test fails when it is missing.
const testdc::layers::DynValue& at(const testdc::layers::DynValue& v, std::string_view name);

}  // namespace layers_test
