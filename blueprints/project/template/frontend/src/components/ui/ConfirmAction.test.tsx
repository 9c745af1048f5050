import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ConfirmAction } from "./ConfirmAction";

function renderAction(onConfirm: () => Promise<void>) {
  render(
    <ConfirmAction
      label="Delete"
      question="Delete this thing?"
      confirmLabel="Yes, delete"
      onConfirm={onConfirm}
    />,
  );
}

describe("ConfirmAction", () => {
  it("asks before it acts", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn(async () => {});
    renderAction(onConfirm);

    await user.click(screen.getByRole("button", { name: "Delete" }));
    expect(onConfirm).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Yes, delete" }));

    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it("does nothing when cancelled", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn(async () => {});
    renderAction(onConfirm);

    await user.click(screen.getByRole("button", { name: "Delete" }));
    await user.click(screen.getByRole("button", { name: "Cancel" }));

    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
  });

  it("shows why the action failed", async () => {
    const user = userEvent.setup();
    renderAction(async () => {
      throw new Error("Still in use");
    });

    await user.click(screen.getByRole("button", { name: "Delete" }));
    await user.click(screen.getByRole("button", { name: "Yes, delete" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Still in use");
  });
});
