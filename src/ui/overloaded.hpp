#pragma once
// std::visit over an Event with one lambda per alternative.

namespace tgget::ui {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace tgget::ui
