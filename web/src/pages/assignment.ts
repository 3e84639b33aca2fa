import { mount } from "svelte";
import "../styles/app.css";
import AssignmentPage from "./AssignmentPage.svelte";

mount(AssignmentPage, { target: document.getElementById("app") as HTMLElement });
