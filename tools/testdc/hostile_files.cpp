#include "hostile_files.hpp"

#include <array>

#include "api_files.hpp"
#include "world.hpp"

namespace testdc {
namespace {

struct Named {
  HostileFile kind;
  const char* name;
};
constexpr std::array<Named, 7> kNames{{
    {HostileFile::kLongAnswer, "long-answer"},
    {HostileFile::kLongAnswerAlways, "long-answer-always"},
    {HostileFile::kShortAnswer, "short-answer"},
    {HostileFile::kShortAnswerAlways, "short-answer-always"},
    {HostileFile::kUnstableBytes, "unstable-bytes"},
    {HostileFile::kDocumentChanges, "document-changes"},
    {HostileFile::kDocumentIdChanges, "document-id-changes"},
}};

// Version 2's id, access hash and generator seed come from version 1's by these: fixed, so a test
// in another language computes version 2's bytes too (tests/cli/cli_hostile_files_test.py).
constexpr std::int64_t kIdFlip = 0x5A5A000000000000;
constexpr std::uint64_t kSeedFlip = 0x7632763276327632;  // "v2v2v2v2"

}  // namespace

const char* hostile_file_name(HostileFile h) {
  for (const auto& n : kNames) {
    if (n.kind == h) return n.name;
  }
  return "?";
}

std::optional<HostileFile> hostile_file_from_name(std::string_view name) {
  for (const auto& n : kNames) {
    if (name == n.name) return n.kind;
  }
  return std::nullopt;
}

std::vector<std::string> hostile_file_names() {
  std::vector<std::string> out;
  for (const auto& n : kNames) out.emplace_back(n.name);
  return out;
}

bool HostileFiles::first_answer(std::int64_t document_id, std::int64_t offset) {
  std::lock_guard lock(mu_);
  return answered_ranges_.emplace(document_id, offset).second;
}

std::string HostileFiles::spoil_answer(const Document& served, std::int64_t offset, std::int32_t limit,
                                       mtp::Bytes& bytes, const ReadMore& read_more) {
  const bool spoils_bytes = on(HostileFile::kUnstableBytes) || on(HostileFile::kShortAnswer) ||
                            on(HostileFile::kShortAnswerAlways) || on(HostileFile::kLongAnswer) ||
                            on(HostileFile::kLongAnswerAlways);
  if (!spoils_bytes) return "";
  const bool first = first_answer(served.id, offset);
  std::string detail;  // each behaviour that applied, "; "-separated
  const auto said = [&detail](const std::string& what) { detail += (detail.empty() ? "" : "; ") + what; };
  if (on(HostileFile::kUnstableBytes) && first && !bytes.empty()) {
    // One byte in every 64 KiB flipped: wrong, yet of the right length and as plausible as the rest.
    for (std::size_t i = 0; i < bytes.size(); i += 64 * 1024) bytes[i] ^= 0x01;
    said("hostile unstable-bytes");
  }
  const bool short_now = on(HostileFile::kShortAnswerAlways) || (on(HostileFile::kShortAnswer) && first);
  // Only a full part that is not the file's last: at the end a short answer is the truth.
  if (short_now && static_cast<std::int64_t>(bytes.size()) == limit && offset + limit < served.size) {
    bytes.resize(bytes.size() / 2);
    said("hostile short-answer " + std::to_string(bytes.size()));
  }
  const bool long_now = on(HostileFile::kLongAnswerAlways) || (on(HostileFile::kLongAnswer) && first);
  if (long_now) {
    // The file's next bytes (a naive client would take them for the next part's), and past the
    // end bytes that look like the file's (a client that trusts the length writes past the end).
    const auto extra = static_cast<std::size_t>(kLongExtra);
    const std::int64_t at = offset + static_cast<std::int64_t>(bytes.size());
    mtp::Bytes more = read_more(at, static_cast<std::int32_t>(kLongExtra));
    const std::size_t real = more.size();
    more.resize(extra);
    if (real < extra) {
      generated_bytes(kSeedFlip, at + static_cast<std::int64_t>(real),
                      std::span<std::uint8_t>(more.data() + real, extra - real));
    }
    bytes.insert(bytes.end(), more.begin(), more.end());
    said("hostile long-answer " + std::to_string(bytes.size()));
  }
  return detail;
}

bool HostileFiles::changed(std::int64_t original_id) const {
  std::lock_guard lock(mu_);
  return changed_.contains(original_id);
}

std::optional<Document> HostileFiles::changed_version(const Document& original) const {
  if (!changed(original.id)) return std::nullopt;
  Document v2 = original;
  v2.path.clear();  // version 2 is generated, whatever version 1 was
  v2.generated_seed = (original.generated_seed ? *original.generated_seed : static_cast<std::uint64_t>(original.id)) ^
                      kSeedFlip;
  if (on(HostileFile::kDocumentIdChanges)) {
    v2.id = original.id ^ kIdFlip;
    v2.access_hash = original.access_hash ^ kIdFlip;
  } else {
    v2.size = original.size + kSizeChange;
  }
  return v2;
}

std::int64_t HostileFiles::reference_id(const Document& original) const {
  return changed(original.id) ? original.id ^ kIdFlip : original.id;
}

const Document* HostileFiles::original_of(const World& world, std::int64_t id) const {
  if (!on(HostileFile::kDocumentIdChanges) || !changed(id ^ kIdFlip)) return nullptr;
  return world.find_document(id ^ kIdFlip);
}

const char* HostileFiles::check_reference(const FileReferences& refs, mtp::ByteSpan ref, const Document& original,
                                          std::int64_t requested_id, std::int64_t now_s,
                                          std::int64_t lifetime_s) const {
  if (!changed(original.id)) return refs.check(ref, original.id, now_s, lifetime_s);
  // The old version is gone: its id, and any reference issued for it, only says "expired".
  if (on(HostileFile::kDocumentIdChanges) && requested_id == original.id) return "FILE_REFERENCE_EXPIRED";
  const char* error = refs.check(ref, reference_id(original), now_s, lifetime_s);
  if (std::string_view(error) != "FILE_REFERENCE_INVALID") return error;
  const std::string_view as_old = refs.check(ref, original.id, now_s, lifetime_s);
  return as_old.empty() || as_old == "FILE_REFERENCE_EXPIRED" ? "FILE_REFERENCE_EXPIRED" : error;
}

bool HostileFiles::take_change(const Document& original) {
  if (!on(HostileFile::kDocumentChanges) && !on(HostileFile::kDocumentIdChanges)) return false;
  std::lock_guard lock(mu_);
  if (changed_.contains(original.id)) return false;
  if (++requests_[original.id] <= kAnswersBeforeChange) return false;
  changed_.insert(original.id);
  return true;
}

}  // namespace testdc
