// upload.getFile and upload.getFileHashes with Telegram's rules (FACTS §1): part sizes and
// alignment, FILE_MIGRATE_X to the document's DC, file references that expire, and the
// parallel-download limit of non-premium accounts.
#include "api_handlers.hpp"
#include "api_objects.hpp"
#include "crypto/sha.hpp"

namespace testdc::handlers {
namespace {

constexpr std::int64_t kMiB = 1 << 20;
constexpr std::int32_t kHashWindow = 128 * 1024;  // Telegram hashes files in 128 KiB windows
constexpr int kHashWindowsPerCall = 8;

// "" when offset and limit are acceptable, else LIMIT_INVALID / OFFSET_INVALID.
const char* check_part(std::int64_t offset, std::int32_t limit, bool precise) {
  if (offset < 0) return "OFFSET_INVALID";
  if (limit <= 0 || limit > kMiB) return "LIMIT_INVALID";
  const std::int64_t align = precise ? 1024 : 4096;
  if (offset % align != 0) return "OFFSET_INVALID";
  if (limit % align != 0) return "LIMIT_INVALID";
  // `precise` lifts the "limit divides 1 MiB" rule (to stream from keyframes), not the boundary rule.
  if (!precise && kMiB % limit != 0) return "LIMIT_INVALID";
  if (offset / kMiB != (offset + limit - 1) / kMiB) return "LIMIT_INVALID";
  return "";
}

struct Located {
  const Document* doc = nullptr;
  std::optional<ApiReply> error;
};

// Resolves the location to a document this DC serves, with a valid file reference.
Located locate(ApiCall& call, const api::InputFileLocation& location) {
  const auto* loc = location.get_if<api::inputDocumentFileLocation>();
  // Photos and thumbnails are not part of this world.
  if (loc == nullptr || !loc->thumb_size.empty()) return {nullptr, ApiReply::fail(400, "LOCATION_INVALID")};
  const Document* doc = call.state.world().find_document(loc->id);
  if (doc == nullptr || doc->access_hash != loc->access_hash) return {nullptr, ApiReply::fail(400, "FILE_ID_INVALID")};
  if (doc->dc != call.dc) {
    std::string m = "FILE_MIGRATE_";
    m.append(std::to_string(doc->dc));
    return {nullptr, ApiReply::fail(303, m)};
  }
  ApiState& state = api_state(call);
  const char* ref_error = state.file_references().check(loc->file_reference, doc->id, state.now_s(),
                                                        call.state.world().conditions.file_reference_lifetime_s);
  if (*ref_error) return {nullptr, ApiReply::fail(400, ref_error)};
  return {doc, std::nullopt};
}

}  // namespace

ApiReply upload_getFile(ApiCall& call) {
  auto req = parse_request<api::upload_getFile>(call);
  if (!req) return fetch_error();
  const Account* account = logged_in_account(call);
  if (account == nullptr) return unregistered();
  if (!req->location.is<api::inputDocumentFileLocation>()) return ApiReply::fail(400, "LOCATION_INVALID");
  if (const char* bad = check_part(req->offset, req->limit, req->precise); *bad) return ApiReply::fail(400, bad);
  Located located = locate(call, req->location);
  if (located.error) return std::move(*located.error);

  ApiState& state = api_state(call);
  if (!account->premium) {
    const int limit = call.state.world().conditions.premium_parallel_limit;
    if (auto wait = state.downloads().admit(account->user_id, call.connection_id, state.now_ms(), limit)) {
      std::string m = "FLOOD_PREMIUM_WAIT_";
      m.append(std::to_string(*wait));
      return ApiReply::fail(420, m);
    }
  }
  auto bytes = state.files().read(*located.doc, req->offset, req->limit);
  if (!bytes) return ApiReply::fail(500, "FILE_READ_FAILED");
  api::upload_file out;
  out.type = api::storage_filePartial{};
  out.mtime = static_cast<std::int32_t>(located.doc->date);
  out.bytes = std::move(*bytes);
  return ApiReply::ok(out);
}

ApiReply upload_getFileHashes(ApiCall& call) {
  auto req = parse_request<api::upload_getFileHashes>(call);
  if (!req) return fetch_error();
  if (logged_in_account(call) == nullptr) return unregistered();
  if (req->offset < 0) return ApiReply::fail(400, "OFFSET_INVALID");
  Located located = locate(call, req->location);
  if (located.error) return std::move(*located.error);

  ApiState& state = api_state(call);
  std::vector<api::FileHash> hashes;
  std::int64_t offset = req->offset;
  for (int i = 0; i < kHashWindowsPerCall && offset < located.doc->size; ++i) {
    auto bytes = state.files().read(*located.doc, offset, kHashWindow);
    if (!bytes) return ApiReply::fail(500, "FILE_READ_FAILED");
    if (bytes->empty()) break;
    auto digest = mtp::crypto::sha256(*bytes);
    api::fileHash h;
    h.offset = offset;
    h.limit = static_cast<std::int32_t>(bytes->size());
    h.hash.assign(digest.begin(), digest.end());
    hashes.push_back(std::move(h));
    offset += static_cast<std::int64_t>(bytes->size());
  }
  return ApiReply::ok(hashes);
}

}  // namespace testdc::handlers
