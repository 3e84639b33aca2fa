import { mount } from "svelte";
import "../styles/app.css";
import "../styles/staff.css";
import OpsPage from "./OpsPage.svelte";

mount(OpsPage, { target: document.getElementById("app") as HTMLElement });
