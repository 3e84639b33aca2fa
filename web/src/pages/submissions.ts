import { mount } from "svelte";
import "../styles/app.css";
import SubmissionsPage from "./SubmissionsPage.svelte";
import SubmissionView from "./SubmissionView.svelte";

// /submissions/ lists them all; /submissions/?id=<id> opens one with its code and feedback
const id = new URLSearchParams(location.search).get("id");
const target = document.getElementById("app") as HTMLElement;
if (id) mount(SubmissionView, { target, props: { id } });
else mount(SubmissionsPage, { target });
