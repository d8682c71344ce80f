#pragma once
// The one interface every output mode implements (live bar, plain lines, errors only, JSON). The
// owner feeds it events with the current time, calls tick() now and then so a stalled download
// still redraws, and routes log lines through print_above() so they never tear the live display.
// A renderer is not thread-safe: the owner calls it from one thread or wraps it (LockedRenderer).
#include <memory>
#include <mutex>
#include <string_view>

#include "ui/events.hpp"

namespace tgget::ui {

class Renderer {
 public:
  virtual ~Renderer() = default;
  virtual void on_event(const Event& event, TimePoint now) = 0;
  // No event for a while: redraw if due (the bar's speeds and ETAs, the plain progress line).
  virtual void tick(TimePoint /*now*/) {}
  // A finished line from elsewhere (a log message): shown above the live lines, never inside them.
  virtual void print_above(std::string_view line) = 0;
};

// Serialises calls from several threads (the engine's and a logger's) onto one renderer.
class LockedRenderer final : public Renderer {
 public:
  explicit LockedRenderer(std::unique_ptr<Renderer> inner) : inner_(std::move(inner)) {}
  void on_event(const Event& event, TimePoint now) override {
    std::lock_guard lock(mutex_);
    inner_->on_event(event, now);
  }
  void tick(TimePoint now) override {
    std::lock_guard lock(mutex_);
    inner_->tick(now);
  }
  void print_above(std::string_view line) override {
    std::lock_guard lock(mutex_);
    inner_->print_above(line);
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<Renderer> inner_;
};

// Both at once: --json on stdout and the errors on stderr.
class TeeRenderer final : public Renderer {
 public:
  TeeRenderer(std::unique_ptr<Renderer> a, std::unique_ptr<Renderer> b) : a_(std::move(a)), b_(std::move(b)) {}
  void on_event(const Event& event, TimePoint now) override {
    a_->on_event(event, now);
    b_->on_event(event, now);
  }
  void tick(TimePoint now) override {
    a_->tick(now);
    b_->tick(now);
  }
  // Log lines belong to the human stream only: the second renderer is the one on stderr.
  void print_above(std::string_view line) override { b_->print_above(line); }

 private:
  std::unique_ptr<Renderer> a_, b_;
};

}  // namespace tgget::ui
