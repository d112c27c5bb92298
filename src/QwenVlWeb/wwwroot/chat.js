// The chat page's browser side: files in (picker, drag-and-drop, paste) go to the upload endpoint and the result to
// .NET; Enter sends; copying works on plain-http LAN pages too (where navigator.clipboard is unavailable).

const uploadPath = "/api/uploads";

export function init(dotnet, composer, textarea, fileInput, maxBytes) {
    const state = { dotnet, maxBytes };

    textarea.addEventListener("keydown", e => {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            // Let Blazor's oninput binding land first, then send.
            setTimeout(() => composer.querySelector("button.send")?.click(), 0);
        }
    });

    fileInput.addEventListener("change", () => {
        uploadAll(state, fileInput.files);
        fileInput.value = "";
    });

    composer.addEventListener("dragover", e => {
        if (e.dataTransfer && [...e.dataTransfer.types].includes("Files")) {
            e.preventDefault();
            composer.classList.add("drop-target");
        }
    });
    composer.addEventListener("dragleave", () => composer.classList.remove("drop-target"));
    composer.addEventListener("drop", e => {
        composer.classList.remove("drop-target");
        if (e.dataTransfer?.files?.length) {
            e.preventDefault();
            uploadAll(state, e.dataTransfer.files);
        }
    });

    // Paste anywhere on the page: images from the clipboard become attachments; text pastes as usual.
    const onPaste = e => {
        const files = [...(e.clipboardData?.files ?? [])];
        if (files.length) {
            e.preventDefault();
            uploadAll(state, files);
        }
    };
    document.addEventListener("paste", onPaste);
    state.dispose = () => document.removeEventListener("paste", onPaste);
    return { dispose: () => state.dispose() };
}

export function openFilePicker(fileInput) {
    fileInput.click();
}

async function uploadAll(state, files) {
    for (const file of [...files]) {
        await upload(state, file);
    }
}

async function upload(state, file) {
    const name = file.name || "pasted image";
    if (file.size > state.maxBytes) {
        await state.dotnet.invokeMethodAsync("OnUploadFailed", `${name} is larger than ${(state.maxBytes / 1048576).toFixed(1)} MB, the most this page accepts per image.`, false);
        return;
    }
    await state.dotnet.invokeMethodAsync("OnUploadStarted");
    try {
        const response = await fetch(uploadPath, {
            method: "POST",
            headers: { "X-QwenVl-Upload": "1", "X-File-Name": encodeURIComponent(name), "Content-Type": "application/octet-stream" },
            body: file,
            credentials: "same-origin",
        });
        const body = await response.json().catch(() => null);
        if (response.ok && body) {
            await state.dotnet.invokeMethodAsync("OnUploaded", body);
        } else {
            await state.dotnet.invokeMethodAsync("OnUploadFailed", body?.error ?? `${name} could not be uploaded (HTTP ${response.status}).`, true);
        }
    } catch {
        await state.dotnet.invokeMethodAsync("OnUploadFailed", `${name} could not be uploaded: the connection to the server failed.`, true);
    }
}

export async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
        try {
            await navigator.clipboard.writeText(text);
            return true;
        } catch { /* fall through */ }
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
}

export function loadSettings(key) {
    try {
        return localStorage.getItem(key);
    } catch {
        return null;
    }
}

export function saveSettings(key, json) {
    try {
        localStorage.setItem(key, json);
    } catch { /* private mode: settings last for this tab only */ }
}

// Follows the answer while the reader is at the bottom; leaves them alone once they scroll up to read.
export function scrollToEnd(element, force) {
    if (!element) return;
    const nearBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 120;
    if (force || nearBottom) {
        element.scrollTop = element.scrollHeight;
    }
}

export function focus(element) {
    element?.focus();
}
