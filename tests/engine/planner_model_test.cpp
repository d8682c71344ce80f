// Seeded random operations on a PartPlanner, each checked against a plain model: the states,
// the counters and every answer agree after every step, misuse included.
#include <catch2/catch.hpp>

#include <functional>
#include <random>
#include <vector>

#include "engine/part_planner.hpp"
#include "engine_test_support.hpp"

using namespace tgget::engine;
using engine_test::error_type;

namespace {

// What a planner should be, in the most obvious form: one state and a copy count per part.
struct Model {
  struct Slot {
    PartState state = PartState::kPending;
    int copies = 0;
  };
  std::uint64_t size;
  std::uint32_t part_size;
  std::vector<Slot> parts;
  std::vector<std::vector<Part>> syncs;  // taken, not yet marked durable

  std::uint32_t length(std::uint32_t i) const {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(part_size, size - std::uint64_t{i} * part_size));
  }
  std::vector<std::uint32_t> where(const std::function<bool(const Slot&)>& pred) const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 0; i < parts.size(); ++i) {
      if (pred(parts[i])) out.push_back(i);
    }
    return out;
  }
  std::uint64_t bytes_in(std::initializer_list<PartState> states) const {
    std::uint64_t sum = 0;
    for (std::uint32_t i = 0; i < parts.size(); ++i) {
      for (const PartState s : states) sum += parts[i].state == s ? length(i) : 0;
    }
    return sum;
  }
};

void check_same(const PartPlanner& plan, const Model& m) {
  std::uint32_t copies = 0;
  std::uint32_t missing = 0;
  std::uint32_t durable = 0;
  for (std::uint32_t i = 0; i < m.parts.size(); ++i) {
    REQUIRE(plan.state(i) == m.parts[i].state);
    REQUIRE(plan.wanted(i) == (m.parts[i].state == PartState::kInFlight));
    copies += static_cast<std::uint32_t>(m.parts[i].copies);
    missing += m.parts[i].state == PartState::kPending || m.parts[i].state == PartState::kInFlight;
    durable += m.parts[i].state == PartState::kDurable;
  }
  REQUIRE(plan.requests_in_flight() == copies);
  REQUIRE(plan.parts_missing() == missing);
  REQUIRE(plan.complete() == (durable == m.parts.size()));
  REQUIRE(plan.bytes_durable() == m.bytes_in({PartState::kDurable}));
  REQUIRE(plan.bytes_done() ==
          m.bytes_in({PartState::kReceived, PartState::kSyncing, PartState::kDurable}));
}

void run(std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::uint64_t size = seed % 5 == 0 ? pick(3) : 1 + pick(40 * 4096);
  auto created = PartPlanner::create(size, 4096);
  REQUIRE(created.ok());
  PartPlanner plan = std::move(created).value();
  Model m{size, 4096, std::vector<Model::Slot>(plan.part_count()), {}};
  using Slot = Model::Slot;

  for (int step = 0; step < 3000; ++step) {
    CAPTURE(seed, step);
    const std::size_t op = pick(100);
    const auto out = m.where([](const Slot& s) { return s.copies > 0; });
    if (op < 25) {  // next
      const auto pending = m.where([](const Slot& s) { return s.state == PartState::kPending; });
      const auto got = plan.next();
      REQUIRE(got.has_value() == !pending.empty());
      if (got) {
        REQUIRE(got->index == pending.front());
        REQUIRE(got->length == m.length(got->index));
        m.parts[got->index] = Slot{PartState::kInFlight, 1};
      }
    } else if (op < 50 && !out.empty()) {  // one answer arrives
      const std::uint32_t i = out[pick(out.size())];
      const bool fresh = m.parts[i].state == PartState::kInFlight;
      REQUIRE(*plan.ok(i) == (fresh ? Answer::kFresh : Answer::kStale));
      --m.parts[i].copies;
      if (fresh) m.parts[i].state = PartState::kReceived;
    } else if (op < 62 && !out.empty()) {  // one request fails
      const std::uint32_t i = out[pick(out.size())];
      REQUIRE(plan.failed(i).ok());
      Slot& s = m.parts[i];
      if (--s.copies == 0 && s.state == PartState::kInFlight) s.state = PartState::kPending;
    } else if (op < 70 && !m.parts.empty()) {  // watchdog, on any part
      const auto i = static_cast<std::uint32_t>(pick(m.parts.size()));
      Slot& s = m.parts[i];
      if (s.state != PartState::kInFlight || s.copies < 4) {  // (kMaxCopies has its own test)
        const auto got = plan.reissue(i);
        if (s.state == PartState::kPending) {
          REQUIRE(error_type(got) == "PLAN_NOT_IN_FLIGHT");
        } else if (s.state != PartState::kInFlight) {
          REQUIRE((got.ok() && !got->has_value()));
        } else {
          REQUIRE((got.ok() && got->has_value() && (*got)->index == i));
          ++s.copies;
        }
      }
    } else if (op < 76 && !m.parts.empty()) {  // an answer with no request out
      const auto i = static_cast<std::uint32_t>(pick(m.parts.size()));
      if (m.parts[i].copies == 0) {
        REQUIRE(error_type(plan.ok(i)) == "PLAN_NOT_IN_FLIGHT");
        REQUIRE(error_type(plan.failed(i)) == "PLAN_NOT_IN_FLIGHT");
      }
    } else if (op < 84) {  // before fdatasync
      const auto expected = m.where([](const Slot& s) { return s.state == PartState::kReceived; });
      const auto taken = plan.take_received();
      REQUIRE(taken.size() == expected.size());
      for (std::size_t k = 0; k < taken.size(); ++k) {
        REQUIRE(taken[k] == plan.part(expected[k]));
        m.parts[expected[k]].state = PartState::kSyncing;
      }
      if (!taken.empty()) m.syncs.push_back(taken);
    } else if (op < 94 && !m.syncs.empty()) {  // after fdatasync (syncs may complete in any order)
      const std::size_t k = pick(m.syncs.size());
      REQUIRE(plan.mark_durable(m.syncs[k]).ok());
      for (const Part& p : m.syncs[k]) m.parts[p.index].state = PartState::kDurable;
      m.syncs.erase(m.syncs.begin() + static_cast<std::ptrdiff_t>(k));
    } else if (op >= 97) {  // a crash: only what serialize() kept comes back
      auto back = PartPlanner::restore(plan.serialize(), size, 4096);
      REQUIRE(back.ok());
      plan = std::move(back).value();
      for (Slot& s : m.parts) s = Slot{s.state == PartState::kDurable ? s.state : PartState::kPending, 0};
      m.syncs.clear();
    }
    check_same(plan, m);
  }
}

}  // namespace

TEST_CASE("random operations agree with the model (seeded)") {
  for (std::uint32_t seed = 1; seed <= 40; ++seed) run(seed);
}
