//! Helpers shared by the console's component-test files (each file is its own test crate and
//! uses only some of them, hence the `dead_code` allowance).
#![allow(dead_code)]

pub mod fetch;

use account_console::provide_app_contexts;
use account_console::state::config::Config;
use leptos::prelude::*;
use leptos_router::components::Router;
use std::any::Any;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// Mounts `view` with every app context inside a router, on a fresh div. Keep the returned
/// handle alive for the test: dropping it unmounts.
pub fn mount<N: IntoView + 'static>(
    view: impl FnOnce() -> N + Send + 'static,
) -> (HtmlElement, Box<dyn Any>) {
    let doc = document();
    let div: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&div).unwrap();
    let handle = leptos::mount::mount_to(div.clone(), move || {
        provide_app_contexts(Config::default());
        view! { <Router>{view()}</Router> }
    });
    (div, Box::new(handle))
}

// CSS queries, only for what has no role and name: find controls with `by_role` below.

/// The element matching `selector`, cast to `T`; panics naming the selector when there is none.
pub fn find<T: JsCast>(root: &HtmlElement, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

pub fn text_of(root: &HtmlElement, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
}

pub fn exists(root: &HtmlElement, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}

// ---- finding elements as assistive technology does: by ARIA role and accessible name ----
//
// The same queries the end-to-end tests make (`Browser::role` in e2e/src/browser.rs), computed
// here in the page: the common subset of the HTML-AAM implicit roles and of the accname
// algorithm, enough for the console's markup.

#[wasm_bindgen]
extern "C" {
    type ComputedStyle;
    #[wasm_bindgen(js_name = getComputedStyle)]
    fn computed_style(el: &Element) -> ComputedStyle;
    #[wasm_bindgen(method, getter)]
    fn display(this: &ComputedStyle) -> String;
    #[wasm_bindgen(method, getter)]
    fn visibility(this: &ComputedStyle) -> String;
}

/// The element with ARIA `role` whose accessible name is exactly `name`, cast to `T`. Panics
/// listing the names that role does have when none matches, and when several do.
pub fn by_role<T: JsCast>(root: &Element, role: &str, name: &str) -> T {
    let all = all_by_role(root, role);
    let mut matches = all.iter().filter(|(n, _)| n == name);
    let Some((_, found)) = matches.next() else {
        let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
        panic!("no {role} named {name:?}; names of the {role} elements present: {names:?}");
    };
    assert!(
        matches.next().is_none(),
        "more than one {role} named {name:?}"
    );
    found.clone().unchecked_into()
}

/// Whether an element with `role` and `name` is present (and not hidden) right now.
pub fn has_role(root: &Element, role: &str, name: &str) -> bool {
    all_by_role(root, role).iter().any(|(n, _)| n == name)
}

/// Every element inside `root` with ARIA `role` that is not hidden, with its accessible
/// name, in document order.
pub fn all_by_role(root: &Element, role: &str) -> Vec<(String, Element)> {
    let list = root.query_selector_all("*").unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .filter(|e| role_of(e).as_deref() == Some(role) && !is_hidden(e))
        .map(|e| (accessible_name(&e), e))
        .collect()
}

/// The accessible names of the elements with `role`, in document order.
pub fn names_by_role(root: &Element, role: &str) -> Vec<String> {
    all_by_role(root, role)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The text of the first element with `role` (a `status` or `alert` region, which usually
/// has no name), or `None` when there is none.
pub fn text_by_role(root: &Element, role: &str) -> Option<String> {
    all_by_role(root, role)
        .first()
        .map(|(_, e)| e.text_content().unwrap_or_default())
}

/// The element's ARIA role: its `role` attribute (the first token), else the implicit role
/// of its tag.
pub fn role_of(el: &Element) -> Option<String> {
    if let Some(explicit) = el.get_attribute("role") {
        if let Some(first) = explicit.split_whitespace().next() {
            return Some(first.to_string());
        }
    }
    let attr = |a: &str| el.get_attribute(a).unwrap_or_default().to_ascii_lowercase();
    let role = match el.tag_name().to_ascii_lowercase().as_str() {
        "button" => "button",
        "a" if el.has_attribute("href") => "link",
        "input" => match attr("type").as_str() {
            "" | "text" | "email" | "password" | "search" | "url" | "tel" => "textbox",
            "checkbox" => "checkbox",
            "radio" => "radio",
            "number" => "spinbutton",
            "submit" | "button" | "reset" => "button",
            _ => return None,
        },
        "textarea" => "textbox",
        "select" if el.has_attribute("multiple") || attr("size").parse().unwrap_or(0) > 1 => {
            "listbox"
        }
        "select" => "combobox",
        "option" => "option",
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
        "dialog" => "dialog",
        "table" => "table",
        "tr" => "row",
        "td" => "cell",
        "th" => match attr("scope").as_str() {
            "row" | "rowgroup" => "rowheader",
            "col" | "colgroup" => "columnheader",
            _ if el.closest("thead").ok().flatten().is_some() => "columnheader",
            _ => "rowheader",
        },
        "ul" | "ol" => "list",
        "li" => "listitem",
        "nav" => "navigation",
        "output" => "status",
        // A region is named by its author only (aria-labelledby or aria-label).
        "section" if has_author_name(el) => "region",
        _ => return None,
    };
    Some(role.to_string())
}

fn has_author_name(el: &Element) -> bool {
    let labelled = el
        .get_attribute("aria-labelledby")
        .is_some_and(|ids| !referenced_text(&ids).trim().is_empty());
    labelled
        || el
            .get_attribute("aria-label")
            .is_some_and(|l| !l.trim().is_empty())
}

/// Whether the element is out of the accessibility tree: it or an ancestor has `hidden`,
/// `aria-hidden="true"` or `display: none`, it is `visibility: hidden`, or it is inside a
/// closed `<dialog>`.
pub fn is_hidden(el: &Element) -> bool {
    if computed_style(el).visibility() == "hidden" {
        return true;
    }
    let mut node = Some(el.clone());
    while let Some(e) = node {
        if e.has_attribute("hidden")
            || e.get_attribute("aria-hidden").as_deref() == Some("true")
            || computed_style(&e).display() == "none"
            || (e.tag_name().eq_ignore_ascii_case("dialog") && !e.has_attribute("open"))
        {
            return true;
        }
        node = e.parent_element();
    }
    false
}

/// The accessible name, in accname order: `aria-labelledby` (the referenced elements'
/// text), `aria-label`, the `<label>`s of a form control (or a table's `<caption>`), the
/// content for roles named by their content (buttons, links, headings, cells, menu items,
/// …), then `title`. Trimmed, with whitespace collapsed.
pub fn accessible_name(el: &Element) -> String {
    let name = name_unnormalised(el);
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn name_unnormalised(el: &Element) -> String {
    if let Some(ids) = el.get_attribute("aria-labelledby") {
        let text = referenced_text(&ids);
        if !text.trim().is_empty() {
            return text;
        }
    }
    if let Some(label) = el.get_attribute("aria-label") {
        if !label.trim().is_empty() {
            return label;
        }
    }
    let tag = el.tag_name().to_ascii_lowercase();
    if matches!(tag.as_str(), "input" | "select" | "textarea") {
        let input_type = el.get_attribute("type").unwrap_or_default();
        if tag == "input" && matches!(input_type.as_str(), "submit" | "button" | "reset") {
            if let Some(value) = el.get_attribute("value") {
                return value;
            }
        }
        let labels: Vec<String> = labels_of(el).iter().map(content_text).collect();
        if !labels.join("").trim().is_empty() {
            return labels.join(" ");
        }
    }
    if tag == "table" {
        if let Ok(Some(caption)) = el.query_selector(":scope > caption") {
            return content_text(&caption);
        }
    }
    const NAMED_BY_CONTENT: &[&str] = &[
        "button",
        "link",
        "heading",
        "cell",
        "columnheader",
        "rowheader",
        "row",
        "menuitem",
        "menuitemcheckbox",
        "menuitemradio",
        "tab",
        "option",
        "checkbox",
        "radio",
        "switch",
        "tooltip",
        "treeitem",
    ];
    let is_native_control = matches!(tag.as_str(), "input" | "select" | "textarea");
    if !is_native_control && role_of(el).is_some_and(|r| NAMED_BY_CONTENT.contains(&r.as_str())) {
        let text = content_text(el);
        if !text.trim().is_empty() {
            return text;
        }
    }
    el.get_attribute("title").unwrap_or_default()
}

/// The names of the elements whose ids are listed in `ids` (their `aria-label`, else their
/// text; hidden ones included, as accname says), joined by spaces.
fn referenced_text(ids: &str) -> String {
    ids.split_whitespace()
        .filter_map(|id| document().get_element_by_id(id))
        .map(|e| match e.get_attribute("aria-label") {
            Some(label) if !label.trim().is_empty() => label,
            _ => content_text(&e),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `<label>`s of a form control (`for` its id, or wrapping it), as the browser
/// associates them (its `labels` list).
fn labels_of(el: &Element) -> Vec<Element> {
    let Ok(list) = js_sys::Reflect::get(el, &"labels".into()) else {
        return Vec::new();
    };
    let Ok(list) = list.dyn_into::<web_sys::NodeList>() else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// The name an element's content gives it: its text, where a child that is hidden counts for
/// nothing and a child with its own `aria-label` counts as that label.
fn content_text(el: &Element) -> String {
    let mut out = String::new();
    let children = el.child_nodes();
    for i in 0..children.length() {
        let Some(child) = children.item(i) else {
            continue;
        };
        match child.dyn_ref::<Element>() {
            Some(e) => {
                if e.has_attribute("hidden")
                    || e.get_attribute("aria-hidden").as_deref() == Some("true")
                    || computed_style(e).display() == "none"
                {
                    continue;
                }
                match e.get_attribute("aria-label") {
                    Some(label) if !label.trim().is_empty() => out.push_str(&label),
                    _ => out.push_str(&content_text(e)),
                }
            }
            None if child.node_type() == web_sys::Node::TEXT_NODE => {
                out.push_str(&child.text_content().unwrap_or_default());
            }
            None => {}
        }
    }
    out
}

/// The accessible description: the text of the elements `aria-describedby` refers to, or
/// `None` without `aria-describedby` (an id that refers to nothing gives `Some("")`).
pub fn accessible_description(el: &Element) -> Option<String> {
    let ids = el.get_attribute("aria-describedby")?;
    let text = referenced_text(&ids);
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}
