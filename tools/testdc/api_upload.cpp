// upload.getFile and upload.getFileHashes with Telegram's rules (FACTS §1): part sizes and
// alignment, FILE_MIGRATE_X to the document's DC, file references that expire, and the
// parallel-download and byte-rate limits of non-premium accounts; plus the corruption faults
// (corrupt_range, corrupt_hashes) that let the client's hash check be tested, and the file-level
// hostility of hostile_files.hpp.
#include <algorithm>
#include <optional>
#include <string>

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
  const Document* doc = nullptr;    // the world's document
  std::optional<Document> changed;  // hostile document-changes: the version served instead
  std::optional<ApiReply> error;
  const Document& served() const { return changed ? *changed : *doc; }
};

// Resolves the location to a document this DC serves, with a valid file reference.
Located locate(ApiCall& call, const api::InputFileLocation& location) {
  const auto* loc = location.get_if<api::inputDocumentFileLocation>();
  // Photos and thumbnails are not part of this world.
  if (loc == nullptr || !loc->thumb_size.empty()) return {nullptr, std::nullopt, ApiReply::fail(400, "LOCATION_INVALID")};
  ApiState& state = api_state(call);
  HostileFiles& hostile = state.hostile_files();
  const Document* doc = call.state.world().find_document(loc->id);
  if (doc == nullptr) doc = hostile.original_of(call.state.world(), loc->id);  // a version 2 id
  std::optional<Document> changed = doc ? hostile.changed_version(*doc) : std::nullopt;
  const auto named = [&](const Document& d) { return d.id == loc->id && d.access_hash == loc->access_hash; };
  const bool known = doc && (named(*doc) || (changed && named(*changed)));
  if (!known) return {nullptr, std::nullopt, ApiReply::fail(400, "FILE_ID_INVALID")};
  if (doc->dc != call.dc) {
    std::string m = "FILE_MIGRATE_";
    m.append(std::to_string(doc->dc));
    return {nullptr, std::nullopt, ApiReply::fail(303, m)};
  }
  const char* ref_error = hostile.check_reference(state.file_references(), loc->file_reference, *doc, loc->id,
                                                  state.now_s(), call.state.world().conditions.file_reference_lifetime_s);
  if (*ref_error) return {nullptr, std::nullopt, ApiReply::fail(400, ref_error)};
  return {doc, std::move(changed), std::nullopt};
}

ApiReply flood_premium_wait(int seconds) {
  std::string m = "FLOOD_PREMIUM_WAIT_";
  m.append(std::to_string(seconds));
  return ApiReply::fail(420, m);
}

// The part of [offset, offset + length) inside `range`, if any.
std::optional<ByteRange> overlap(const std::optional<ByteRange>& range, std::int64_t offset, std::int64_t length) {
  if (!range) return std::nullopt;
  const std::int64_t from = std::max(offset, range->offset);
  const std::int64_t to = std::min(offset + length, range->end());
  if (from >= to) return std::nullopt;
  return ByteRange{from, to - from};
}

std::string describe(const char* what, const ByteRange& r) {
  return std::string("corrupt ").append(what).append(" ").append(std::to_string(r.offset)).append(":").append(
      std::to_string(r.length));
}

// corrupt_range: inverts the bytes of `part` (read at `offset`) that fall in the range, while the
// document's budget of spoilt answers lasts. Returns the log detail ("" when the part is right).
std::string spoil_part(ApiState& state, const Conditions& c, const Document& doc, std::int64_t offset, mtp::Bytes& part) {
  auto hit = overlap(c.corrupt_range, offset, static_cast<std::int64_t>(part.size()));
  if (!hit || !state.corruptions().take(CorruptionCount::Kind::kBytes, doc.id, c.corrupt_times)) return "";
  for (std::int64_t i = hit->offset; i < hit->end(); ++i) part[static_cast<std::size_t>(i - offset)] ^= 0xff;
  return describe("bytes", *hit);
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
  const Conditions& conditions = call.state.world().conditions;
  if (state.hostile_files().take_change(*located.doc)) {  // hostile document-changes: from now on
    ApiReply expired = ApiReply::fail(400, "FILE_REFERENCE_EXPIRED");
    expired.detail = "hostile document changed";
    return expired;
  }
  const Document& doc = located.served();
  const std::int64_t now = state.now_ms();
  if (!account->premium) {
    // The rate is checked first and charged only once the answer goes out, so a request refused
    // by either limit costs the account nothing.
    const std::int64_t answer = std::clamp<std::int64_t>(doc.size - req->offset, 0, req->limit);
    if (auto wait = state.download_rate().refuse(account->user_id, answer, now, conditions.premium_rate_limit,
                                                 conditions.premium_rate_window_ms, conditions.premium_wait_seconds)) {
      return flood_premium_wait(*wait);
    }
    const int limit = conditions.premium_parallel_limit;
    if (auto wait = state.downloads().admit(account->user_id, call.connection_id, now, limit)) {
      return flood_premium_wait(*wait);
    }
  }
  auto bytes = state.files().read(doc, req->offset, req->limit);
  if (!bytes) return ApiReply::fail(500, "FILE_READ_FAILED");
  if (!account->premium) state.download_rate().record(account->user_id, static_cast<std::int64_t>(bytes->size()), now);
  std::string spoilt = spoil_part(state, conditions, doc, req->offset, *bytes);
  auto read_more = [&](std::int64_t at, std::int32_t n) {
    auto more = state.files().read(doc, at, n);
    return more ? std::move(*more) : mtp::Bytes{};
  };
  if (std::string hostile = state.hostile_files().spoil_answer(doc, req->offset, req->limit, *bytes, read_more);
      !hostile.empty()) {
    spoilt = spoilt.empty() ? hostile : spoilt + "; " + hostile;
  }
  api::upload_file out;
  out.type = api::storage_filePartial{};
  out.mtime = static_cast<std::int32_t>(doc.date);
  out.bytes = std::move(*bytes);
  ApiReply reply = ApiReply::ok(out);
  reply.detail = std::move(spoilt);
  return reply;
}

ApiReply upload_getFileHashes(ApiCall& call) {
  auto req = parse_request<api::upload_getFileHashes>(call);
  if (!req) return fetch_error();
  if (logged_in_account(call) == nullptr) return unregistered();
  if (req->offset < 0) return ApiReply::fail(400, "OFFSET_INVALID");
  Located located = locate(call, req->location);
  if (located.error) return std::move(*located.error);

  ApiState& state = api_state(call);
  const Conditions& conditions = call.state.world().conditions;
  std::vector<api::FileHash> hashes;
  // corrupt_hashes: decided at the first window in the range, then applied to each such window.
  std::optional<bool> lying;
  std::optional<ByteRange> lied;  // the windows that lie, for the log
  std::int64_t offset = req->offset;
  const Document& doc = located.served();
  for (int i = 0; i < kHashWindowsPerCall && offset < doc.size; ++i) {
    auto bytes = state.files().read(doc, offset, kHashWindow);
    if (!bytes) return ApiReply::fail(500, "FILE_READ_FAILED");
    if (bytes->empty()) break;
    auto digest = mtp::crypto::sha256(*bytes);
    api::fileHash h;
    h.offset = offset;
    h.limit = static_cast<std::int32_t>(bytes->size());
    h.hash.assign(digest.begin(), digest.end());
    if (overlap(conditions.corrupt_hashes, offset, h.limit)) {
      if (!lying) {
        lying = state.corruptions().take(CorruptionCount::Kind::kHashes, doc.id, conditions.corrupt_times);
      }
      if (*lying) {
        for (auto& b : h.hash) b ^= 0xff;
        lied = ByteRange{lied ? lied->offset : offset, (lied ? lied->length : 0) + h.limit};
      }
    }
    hashes.push_back(std::move(h));
    offset += static_cast<std::int64_t>(bytes->size());
  }
  ApiReply reply = ApiReply::ok(hashes);
  if (lied) reply.detail = describe("hashes", *lied);
  return reply;
}

}  // namespace testdc::handlers
