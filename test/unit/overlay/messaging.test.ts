/**
 * The content script's runtime messaging: one retry when the MV3 worker was being stopped as the message left
 * ("Receiving end does not exist"), a quiet Orphaned when the extension itself is gone. The worker-stop path in
 * a real browser is covered by test/e2e/worker-restart.e2e.test.ts; the race it guards against cannot be timed
 * there, so the browser API is replaced here by a scripted one.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest"

const sendMessage = vi.fn()
vi.mock("webextension-polyfill", () => ({
  default: { runtime: { sendMessage: (m: unknown) => sendMessage(m) }, storage: { local: {}, onChanged: {} } }
}))

const { send, Orphaned } = await import("../../../contents/editor/messaging")

const NO_RECEIVER = new Error("Could not establish connection. Receiving end does not exist.")
let runtime: { id?: string }

beforeEach(() => {
  runtime = { id: "abcdefghijklmnop" }
  vi.stubGlobal("chrome", { runtime })
  sendMessage.mockReset()
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe("send", () => {
  test("returns the worker's reply", async () => {
    sendMessage.mockResolvedValueOnce({ findings: [] })
    await expect(send({ type: "check" })).resolves.toEqual({ findings: [] })
    expect(sendMessage).toHaveBeenCalledTimes(1)
  })

  test("retries once when the worker was gone, and gets the new worker's reply", async () => {
    sendMessage.mockRejectedValueOnce(NO_RECEIVER).mockResolvedValueOnce({ findings: ["x"] })
    await expect(send({ type: "check" })).resolves.toEqual({ findings: ["x"] })
    expect(sendMessage).toHaveBeenCalledTimes(2)
    expect(sendMessage.mock.calls[1][0]).toEqual({ type: "check" })
  })

  test("gives up after the one retry with the browser's error (the caller keeps the old underlines)", async () => {
    sendMessage.mockRejectedValue(NO_RECEIVER)
    await expect(send({ type: "check" })).rejects.toBe(NO_RECEIVER)
    expect(sendMessage).toHaveBeenCalledTimes(2)
  })

  test("other errors are not retried", async () => {
    const boom = new Error("worker threw")
    sendMessage.mockRejectedValueOnce(boom)
    await expect(send({ type: "check" })).rejects.toBe(boom)
    expect(sendMessage).toHaveBeenCalledTimes(1)
  })

  test("an invalidated context (extension reloaded) is Orphaned, not retried", async () => {
    sendMessage.mockRejectedValueOnce(new Error("Extension context invalidated."))
    await expect(send({ type: "check" })).rejects.toBeInstanceOf(Orphaned)
    expect(sendMessage).toHaveBeenCalledTimes(1)
  })

  test("once chrome.runtime.id is gone nothing is sent at all", async () => {
    delete runtime.id
    await expect(send({ type: "check" })).rejects.toBeInstanceOf(Orphaned)
    expect(sendMessage).not.toHaveBeenCalled()
  })

  test("the runtime disappearing between the attempt and the retry is Orphaned", async () => {
    sendMessage.mockImplementationOnce(async () => {
      delete runtime.id
      throw NO_RECEIVER
    })
    await expect(send({ type: "check" })).rejects.toBeInstanceOf(Orphaned)
    expect(sendMessage).toHaveBeenCalledTimes(1)
  })
})
