import { mount } from "svelte";
import "../styles/app.css";
import "../styles/staff.css";
import AuditPage from "./AuditPage.svelte";

mount(AuditPage, { target: document.getElementById("app") as HTMLElement });
