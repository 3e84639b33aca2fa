import { mount } from "svelte";
import "../styles/app.css";
import SubmissionsPage from "./SubmissionsPage.svelte";

mount(SubmissionsPage, { target: document.getElementById("app") as HTMLElement });
